import { spawn } from 'node:child_process';

/** Longest the memory server may take to start listening. */
const START_TIMEOUT_MS = 30_000;
/** Longest a stopped memory server may take to exit before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** A `stompy-memory serve` process. */
export interface MemoryServerProcess {
  /** Its base URL (`http://127.0.0.1:<port>`; the MCP endpoint is `/mcp`). */
  url: string;
  pid: number | undefined;
  /** Stops it (SIGTERM) without waiting. */
  stop(): void;
  /** Stops it (SIGTERM) and resolves once it exited; kills it (SIGKILL) after 10 s. */
  close(): Promise<void>;
}

/** Whether `db` names a PostgreSQL database rather than a SQLite file. */
function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * Starts `stompy-memory serve` on a free port in a process of its own, as it runs in production, and
 * resolves with its URL once it listens; rejects if it does not within 30 s. `db` is a SQLite file or
 * a PostgreSQL URL; a URL goes in `STOMPY_DATABASE_URL`, so its password stays off the command line.
 */
export function startMemoryServer(db: string): Promise<MemoryServerProcess> {
  const bin = require.resolve('@temporal-stompy/memory-server/bin/stompy-memory.js');
  const postgres = isPostgresUrl(db);
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...(postgres ? [] : ['--db', db])], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: postgres ? { ...process.env, STOMPY_DATABASE_URL: db } : process.env,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stompy-memory did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)\/mcp/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ url: match[1], pid: child.pid, stop: () => child.kill('SIGTERM'), close });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stompy-memory exited with ${String(code)}`));
    });
  });
}
