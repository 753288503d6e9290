// Resolution order of temporalCliPath with fake executables in temp folders: env var, PATH, cache,
// a Go build (by a fake `go` that writes a script), nothing. No real build happens here.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEMPORAL_CLI_GO_PACKAGE, temporalCliCacheDir, temporalCliPath } from '../temporal-cli';

const FAKE_CLI = '#!/bin/sh\necho "temporal version fake"\n';

let root: string;
let logs: string[];
const log = (message: string): void => {
  logs.push(message);
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'temporal-cli-test-'));
  logs = [];
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function executable(path: string, content = FAKE_CLI, mode = 0o755): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

/** An environment that sees only the temp folder: no real `temporal` or `go` on PATH, no real cache. */
function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: join(root, 'bin'), HOME: join(root, 'home'), XDG_CACHE_HOME: join(root, 'xdg'), ...extra };
}

/**
 * A fake `go` that behaves like `go install` of the CLI: after `delay` seconds it writes a fake
 * `temporal` into $GOBIN, and appends a line to `calls` for every run.
 */
async function fakeGo(options: { delay?: number; exitCode?: number; hang?: boolean } = {}): Promise<string> {
  const calls = join(root, 'go-calls');
  const script = [
    '#!/bin/sh',
    'PATH=/usr/bin:/bin',
    `echo "$*|$GOBIN" >> '${calls}'`,
    'echo "go: downloading github.com/temporalio/cli v1.5.1" >&2',
    options.hang ? 'sleep 600' : `sleep ${options.delay ?? 0}`,
    options.exitCode ? `echo "go: build failed: boom" >&2; exit ${options.exitCode}` : '',
    `printf '#!/bin/sh\\necho "temporal version 0.0.0-DEV (fake build)"\\n' > "$GOBIN/temporal"`,
    'chmod 755 "$GOBIN/temporal"',
  ].join('\n');
  await executable(join(root, 'bin', 'go'), script);
  return calls;
}

async function goCalls(calls: string): Promise<string[]> {
  try {
    return (await readFile(calls, 'utf8')).trim().split('\n');
  } catch {
    return [];
  }
}

describe('temporalCliPath', () => {
  test('TEMPORAL_CLI_PATH comes first, before PATH and the cache', async () => {
    const fromEnv = await executable(join(root, 'elsewhere', 'my-temporal'));
    await executable(join(root, 'bin', 'temporal'));
    await executable(join(temporalCliCacheDir(isolatedEnv()), 'temporal'));

    await expect(temporalCliPath({ env: isolatedEnv({ TEMPORAL_CLI_PATH: fromEnv }), log })).resolves.toBe(
      fromEnv,
    );
  });

  test('TEMPORAL_CLI_PATH naming a missing file is a clear error, not a fallback', async () => {
    await executable(join(root, 'bin', 'temporal'));
    const missing = join(root, 'nope', 'temporal');

    await expect(temporalCliPath({ env: isolatedEnv({ TEMPORAL_CLI_PATH: missing }), log })).rejects.toThrow(
      `TEMPORAL_CLI_PATH=${missing} does not name a usable Temporal CLI: no such file`,
    );
  });

  test('TEMPORAL_CLI_PATH naming a non-executable file or a folder is a clear error', async () => {
    const plain = await executable(join(root, 'plain', 'temporal'), FAKE_CLI, 0o644);
    await expect(temporalCliPath({ env: isolatedEnv({ TEMPORAL_CLI_PATH: plain }), log })).rejects.toThrow(
      'it is not executable',
    );
    await expect(temporalCliPath({ env: isolatedEnv({ TEMPORAL_CLI_PATH: root }), log })).rejects.toThrow(
      'it is not a regular file',
    );
  });

  test('`temporal` on PATH comes before the cache; non-executable and relative entries are skipped', async () => {
    await executable(join(root, 'first', 'temporal'), FAKE_CLI, 0o644);
    const onPath = await executable(join(root, 'second', 'temporal'));
    await executable(join(temporalCliCacheDir(isolatedEnv()), 'temporal'));
    const env = isolatedEnv({ PATH: ['relative/bin', join(root, 'first'), join(root, 'second')].join(':') });

    await expect(temporalCliPath({ env, log })).resolves.toBe(onPath);
  });

  test('the cached build under $XDG_CACHE_HOME is used when nothing else is there', async () => {
    const cached = await executable(join(root, 'xdg', 'temporal-stompy', 'temporal-1.5.1', 'temporal'));
    await fakeGo();

    await expect(temporalCliPath({ env: isolatedEnv(), log })).resolves.toBe(cached);
    expect(await goCalls(join(root, 'go-calls'))).toEqual([]);
  });

  test('without XDG_CACHE_HOME the cache is ~/.cache', async () => {
    const env = isolatedEnv({ XDG_CACHE_HOME: undefined });
    const cached = await executable(
      join(root, 'home', '.cache', 'temporal-stompy', 'temporal-1.5.1', 'temporal'),
    );

    expect(temporalCliCacheDir(env)).toBe(join(root, 'home', '.cache', 'temporal-stompy', 'temporal-1.5.1'));
    await expect(temporalCliPath({ env, log })).resolves.toBe(cached);
  });

  test('with nothing found and no Go, resolves undefined (@temporalio/testing downloads its own)', async () => {
    await expect(temporalCliPath({ env: isolatedEnv(), log })).resolves.toBeUndefined();
  });

  test('with `build: false`, resolves undefined even when Go is there', async () => {
    const calls = await fakeGo();
    await expect(temporalCliPath({ env: isolatedEnv(), build: false, log })).resolves.toBeUndefined();
    expect(await goCalls(calls)).toEqual([]);
  });

  test('with Go on PATH, builds with `go install` into a temp GOBIN and renames into the cache', async () => {
    const calls = await fakeGo();
    const env = isolatedEnv();
    const cacheDir = temporalCliCacheDir(env);

    const built = await temporalCliPath({ env, log });

    expect(built).toBe(join(cacheDir, 'temporal'));
    const { stdout } = await promisify(execFile)(built!, ['--version']);
    expect(stdout).toContain('fake build');
    const [call, ...more] = await goCalls(calls);
    expect(more).toEqual([]);
    const [args, gobin] = call!.split('|');
    expect(args).toBe(`install ${TEMPORAL_CLI_GO_PACKAGE}`);
    expect(gobin).toMatch(
      new RegExp(`^${join(root, 'xdg', 'temporal-stompy')}/\\.temporal-1\\.5\\.1-build-`),
    );
    // no temp folder and no lock left behind; the build log is kept next to the cache folder
    expect((await readdir(join(root, 'xdg', 'temporal-stompy'))).sort()).toEqual([
      'temporal-1.5.1',
      'temporal-1.5.1.build.log',
    ]);
    expect(logs.join('\n')).toContain('building v1.5.1');
    // the next call finds the cache and runs no build
    await expect(temporalCliPath({ env, log })).resolves.toBe(built);
    expect(await goCalls(calls)).toHaveLength(1);
  });

  test('two concurrent callers build once: the second waits on the lock', async () => {
    const calls = await fakeGo({ delay: 2 });
    const env = isolatedEnv();

    const [a, b] = await Promise.all([temporalCliPath({ env, log }), temporalCliPath({ env, log })]);

    expect(a).toBe(join(temporalCliCacheDir(env), 'temporal'));
    expect(b).toBe(a);
    expect(await goCalls(calls)).toHaveLength(1);
    expect(logs.join('\n')).toContain('is building the Temporal CLI; waiting for it');
  });

  test('a lock left by a dead process is removed and the build goes on', async () => {
    const calls = await fakeGo();
    const env = isolatedEnv();
    const lockDir = `${temporalCliCacheDir(env)}.lock`;
    await mkdir(lockDir, { recursive: true });
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', 'console.log(process.pid)']);
    const deadPid = Number(stdout.trim());
    await writeFile(
      join(lockDir, 'owner.json'),
      JSON.stringify({ pid: deadPid, host: hostname(), startedAt: Date.now() }),
    );

    await expect(temporalCliPath({ env, log })).resolves.toBe(join(temporalCliCacheDir(env), 'temporal'));
    expect(await goCalls(calls)).toHaveLength(1);
    expect(logs.join('\n')).toContain('removing a stale build lock');
  });

  test('a failing build is a clear error with the end of the Go log, and leaves no binary or lock', async () => {
    await fakeGo({ exitCode: 2 });
    const env = isolatedEnv();

    const failure = temporalCliPath({ env, log });

    await expect(failure).rejects.toThrow(/Building the Temporal CLI failed: go install exited with 2/);
    await expect(failure).rejects.toThrow(/go: build failed: boom/);
    await expect(failure).rejects.toThrow(/Set TEMPORAL_CLI_PATH/);
    expect((await readdir(join(root, 'xdg', 'temporal-stompy'))).sort()).toEqual([
      'temporal-1.5.1.build.log',
    ]);
  });

  test('a build that outlives its timeout is killed and reported', async () => {
    await fakeGo({ hang: true });
    const env = isolatedEnv();
    const started = Date.now();

    await expect(temporalCliPath({ env, log, buildTimeoutMs: 1_000 })).rejects.toThrow(
      /go install timed out after 1 s/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await readdir(join(root, 'xdg', 'temporal-stompy'))).sort()).toEqual([
      'temporal-1.5.1.build.log',
    ]);
  });
});
