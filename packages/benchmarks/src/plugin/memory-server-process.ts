import { spawn } from 'node:child_process';

/** Longest the memory server may take to start listening. */
const START_TIMEOUT_MS = 30_000;

/** A `stompy-memory serve` process. */
export interface MemoryServerProcess {
  /** Its base URL (`http://127.0.0.1:<port>`; the MCP endpoint is `/mcp`). */
  url: string;
  pid: number | undefined;
  /** Stops it (SIGTERM). */
  stop(): void;
}

/**
 * Starts `stompy-memory serve` on a free port in a process of its own, as it runs in production, and
 * resolves with its URL once it listens; rejects if it does not within 30 s.
 */
export function startMemoryServer(dbPath: string): Promise<MemoryServerProcess> {
  const bin = require.resolve('@temporal-stompy/memory-server/bin/stompy-memory.js');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', dbPath], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
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
        resolve({ url: match[1], pid: child.pid, stop: () => child.kill('SIGTERM') });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`stompy-memory exited with ${String(code)}`));
    });
  });
}
