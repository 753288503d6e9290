// `stompy-memory serve` as an operator runs it: its own OS process on a PostgreSQL database, the
// database URL (password included) and the token passed in the environment, never on the command line.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { within } from './within';

/** The memory server's command, as the package's `bin` runs it (its built `dist`). */
export const STOMPY_MEMORY_BIN = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'memory-server',
  'bin',
  'stompy-memory.js',
);

const LISTEN_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 10_000;

/** A running `stompy-memory serve` process. */
export interface MemoryServerProcess {
  /** Its base URL (`http://127.0.0.1:<port>`). */
  readonly baseUrl: string;
  /** Its Streamable HTTP endpoint (`<baseUrl>/mcp`). */
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` (SIGKILL by default) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `stompy-memory serve --port 0` on `databaseUrl` (given as `STOMPY_DATABASE_URL`) with
 * `token` (as `STOMPY_MEMORY_TOKEN`) and any other `args`; resolves once it prints where it listens.
 */
export function startMemoryServerProcess(options: {
  databaseUrl: string;
  token: string;
  args?: readonly string[];
}): Promise<MemoryServerProcess> {
  const child = spawn(
    process.execPath,
    [STOMPY_MEMORY_BIN, 'serve', '--port', '0', ...(options.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STOMPY_DATABASE_URL: options.databaseUrl, STOMPY_MEMORY_TOKEN: options.token },
    },
  );
  let out = '';
  const collect = (chunk: Buffer): void => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await within(exited, EXIT_TIMEOUT_MS, `stompy-memory (pid ${String(child.pid)}) to exit`);
  };
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`stompy-memory printed no listening line:\n${out}`)),
      LISTEN_TIMEOUT_MS,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(new Error(`stompy-memory exited (${String(code ?? signal)}):\n${out}`));
    child.once('exit', onExit);
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)\/mcp/.exec(out);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ baseUrl: match[1], url: `${match[1]}/mcp`, child, output: () => out, kill });
    });
  });
}
