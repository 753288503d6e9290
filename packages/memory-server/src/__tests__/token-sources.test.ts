import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STOMPY_MEMORY_BIN } from './helpers/connect-transports';

// Where `stompy-memory serve` takes its tokens (--token-file, STOMPY_TOKEN, STOMPY_MEMORY_TOKEN,
// --token), the weak tokens it refuses off loopback, and its warning about a token on argv.

const STRONG = 'strong-token-0123456789abcdef';
const ENV: NodeJS.ProcessEnv = { ...process.env, STOMPY_MEMORY_TOKEN: undefined, STOMPY_TOKEN: undefined };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'token-sources-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = ENV) {
  const db = ['--db', join(dir, 'memory.db'), '--port', '0'];
  return spawnSync(process.execPath, [STOMPY_MEMORY_BIN, 'serve', ...db, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env,
  });
}

/** Runs `serve` until it listens, checks a call with and without `token`, stops it; resolves with its stderr. */
async function serveAndCall(args: string[], token: string, env: NodeJS.ProcessEnv = ENV): Promise<string> {
  const db = ['--db', join(dir, 'memory.db'), '--port', '0'];
  const child = spawn(process.execPath, [STOMPY_MEMORY_BIN, 'serve', ...db, ...args], { env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on http:\/\/[^:]+:(\d+)\/mcp/.exec(out);
        if (match?.[1]) resolve(`http://127.0.0.1:${match[1]}`);
      });
      child.once('exit', (code) => reject(new Error(`exited ${String(code)}: ${stderr}`)));
    });
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'context_dashboard', arguments: {} },
    });
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/mcp`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body,
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${token}` })).status).toBe(200);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  return stderr;
}

it('refuses a weak token off loopback at start, saying the rule and never the token', () => {
  for (const weak of ['Zq9', '          ', 'fifteen-chars15']) {
    const result = run(['--host', '0.0.0.0', '--token', weak]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/weak bearer token .*at least 16 characters and not only whitespace/);
    if (weak.trim() !== '') expect(result.stderr).not.toContain(weak);
  }
  const file = join(dir, 'weak-tokens');
  writeFileSync(file, `${STRONG}\nshort\n`);
  expect(run(['--host', '0.0.0.0', '--token-file', file]).stderr).toMatch(
    /token 2 of 2: it has 5 characters/,
  );
});

it('takes tokens from --token-file: one per line, trimmed, blank lines ignored', async () => {
  const file = join(dir, 'tokens');
  writeFileSync(file, `\n  ${STRONG}  \n\n   \nsecond-token-fedcba9876543210\n`);
  await serveAndCall(['--token-file', file], STRONG);
  await serveAndCall(['--token-file', file], 'second-token-fedcba9876543210');
  expect(run(['--token-file', join(dir, 'missing')]).stderr).toMatch(
    /--token-file .*missing: cannot read it/,
  );
  writeFileSync(join(dir, 'blank'), '\n  \n');
  expect(run(['--token-file', join(dir, 'blank')]).stderr).toMatch(/holds no token/);
});

it('takes the token from STOMPY_TOKEN, and still from STOMPY_MEMORY_TOKEN', async () => {
  await serveAndCall([], STRONG, { ...ENV, STOMPY_TOKEN: STRONG });
  await serveAndCall([], STRONG, { ...ENV, STOMPY_MEMORY_TOKEN: STRONG });
});

it('warns when the token is on argv off loopback, and not when it comes from a file or the environment', async () => {
  const argv = await serveAndCall(['--host', '0.0.0.0', '--token', STRONG], STRONG);
  expect(argv).toMatch(/--token on the command line is visible to every local user/);
  expect(argv).not.toContain(STRONG);
  const env = await serveAndCall(['--host', '0.0.0.0'], STRONG, { ...ENV, STOMPY_TOKEN: STRONG });
  expect(env).not.toMatch(/visible to every local user/);
});
