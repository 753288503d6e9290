// Starts a real PostgreSQL server for tests and benchmarks: its own data folder, a free port, a password.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries';

/** Options of {@link startPostgres}. */
export interface StartPostgresOptions {
  /**
   * Trade durability for speed (`fsync=off`, `synchronous_commit=off`, `full_page_writes=off`): safe for
   * tests, where a process crash loses nothing but a machine crash may; default true. Benchmarks pass false.
   */
  readonly fast?: boolean;
  /** `max_connections`; default 200. */
  readonly maxConnections?: number;
}

/** A running PostgreSQL server of {@link startPostgres}. */
export interface PostgresServer {
  /** Connection URL of its `postgres` database, password included (`postgres://postgres:<pw>@127.0.0.1:<port>/postgres`). */
  readonly url: string;
  /** The port it listens on (on 127.0.0.1). */
  readonly port: number;
  /** The superuser password. */
  readonly password: string;
  /** Creates a new, empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server as an operator would (fast shutdown), keeping its data; {@link start} brings it back on the same port. */
  stopServer(): Promise<void>;
  /** Starts the server again after {@link stopServer}. */
  start(): Promise<void>;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Initialises a new PostgreSQL cluster in a temporary folder and starts it on a free port of 127.0.0.1,
 * with password (SCRAM) authentication. Uses {@link postgresBinaries} (run as the `postgres` user when
 * this process is root). Stop it with `stop()`.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const binaries = postgresBinaries();
  const root = mkdtempSync(join(tmpdir(), 'stompy-pg-'));
  chmodSync(root, 0o777);
  const password = randomBytes(12).toString('hex');
  const passwordFile = join(root, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (binaries.runAs !== undefined) chownSync(passwordFile, binaries.runAs.uid, binaries.runAs.gid);
  const dataDir = join(root, 'data');
  const args = ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${passwordFile}`];
  runChecked(binaries, 'initdb', [...args, '-E', 'UTF8', '--locale=C', '--no-sync']);
  rmSync(passwordFile);
  const port = await freePort();
  const settings = serverSettings(root, port, options);
  let child = await launch(binaries, dataDir, settings);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    url,
    port,
    password,
    async createDatabase(name = `test_${++databases}_${randomBytes(3).toString('hex')}`) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
      return url.replace(/\/postgres$/, `/${encodeURIComponent(name)}`);
    },
    stopServer: () => shutDown(child),
    async start() {
      child = await launch(binaries, dataDir, settings);
    },
    async stop() {
      await shutDown(child);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function serverSettings(root: string, port: number, options: StartPostgresOptions): string[] {
  const fast = options.fast ?? true;
  return [
    ['listen_addresses', '127.0.0.1'],
    ['port', String(port)],
    ['unix_socket_directories', root],
    ['max_connections', String(options.maxConnections ?? 200)],
    ...(fast
      ? [
          ['fsync', 'off'],
          ['synchronous_commit', 'off'],
          ['full_page_writes', 'off'],
        ]
      : []),
  ].flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

function runChecked(binaries: PostgresBinaries, name: string, args: readonly string[]): void {
  const result = spawnSync(join(binaries.binDir, name), args, { ...asUser(binaries), encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `${name} failed (${result.status ?? result.signal}): ${result.stderr || result.error?.message}`,
    );
  }
}

function asUser(binaries: PostgresBinaries): { uid?: number; gid?: number } {
  return binaries.runAs === undefined ? {} : { uid: binaries.runAs.uid, gid: binaries.runAs.gid };
}

/** Starts `postgres` and resolves once it accepts connections (its log says so). */
function launch(
  binaries: PostgresBinaries,
  dataDir: string,
  settings: readonly string[],
): Promise<ChildProcess> {
  const child = spawn(join(binaries.binDir, 'postgres'), ['-D', dataDir, ...settings], {
    ...asUser(binaries),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => fail(new Error(`postgres did not start within ${START_TIMEOUT_MS} ms:\n${log}`)),
      START_TIMEOUT_MS,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`postgres exited (${code}) while starting:\n${log}`)));
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-8000);
      if (!log.includes('database system is ready to accept connections')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stderr?.removeAllListeners('data');
      child.stderr?.resume();
      resolve(child);
    });
  });
}

/** Fast shutdown (SIGINT), then SIGKILL when it takes longer than {@link STOP_TIMEOUT_MS}. */
function shutDown(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
