// Finds a `temporal` CLI binary for the dev server, building it with Go into the user's cache folder
// when there is none. The cache lives outside the clone because CI starts from a fresh clone each time.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { withLockDir } from './build-lock';
import { executableProblem, findOnPath } from './executable';
import { TEMPORAL_CLI_VERSION } from './cli-version';
import { runGoInstall } from './go-install';

export { TEMPORAL_CLI_GO_PACKAGE, TEMPORAL_CLI_VERSION } from './cli-version';

const BINARY_NAME = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const DEFAULT_BUILD_TIMEOUT_MS = 15 * 60_000;
const VERSION_CHECK_TIMEOUT_MS = 30_000;

/** Options of {@link temporalCliPath}; every one has a default suited to tests and CI. */
export interface TemporalCliPathOptions {
  /** Environment to read `TEMPORAL_CLI_PATH`, `PATH`, `XDG_CACHE_HOME` and `HOME` from, and to build with. */
  env?: NodeJS.ProcessEnv;
  /** Build the CLI with Go when no binary is found (default true); false returns `undefined` instead. */
  build?: boolean;
  /** Longest a Go build (and the wait for someone else's build) may take; default 15 minutes. */
  buildTimeoutMs?: number;
  /** Where progress lines go; default: standard error. */
  log?: (message: string) => void;
}

/**
 * Returns the path of a `temporal` CLI binary, trying in order: `TEMPORAL_CLI_PATH` (which must name an
 * executable file), `temporal` on `PATH`, a cached build in `<cache>/temporal-stompy/temporal-1.5.1`
 * (`<cache>` is `$XDG_CACHE_HOME` or `~/.cache`), and a fresh `go install` into that folder when `go` is
 * on `PATH`. Resolves `undefined` when none applies, meaning "let `@temporalio/testing` download its own".
 */
export async function temporalCliPath(options: TemporalCliPathOptions = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;

  const fromEnv = env['TEMPORAL_CLI_PATH'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const path = resolve(fromEnv);
    const problem = await executableProblem(path);
    if (problem !== undefined) {
      throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} does not name a usable Temporal CLI: ${problem}`);
    }
    return path;
  }

  const onPath = await findOnPath(BINARY_NAME, env);
  if (onPath !== undefined) return onPath;

  const cached = join(temporalCliCacheDir(env), BINARY_NAME);
  if ((await executableProblem(cached)) === undefined) return cached;

  if (options.build === false) return undefined;
  const go = await findOnPath(process.platform === 'win32' ? 'go.exe' : 'go', env);
  if (go === undefined) return undefined;

  return buildIntoCache(
    go,
    env,
    options.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS,
    options.log ?? logToStderr,
  );
}

/** The folder holding the cached CLI build: `<$XDG_CACHE_HOME or ~/.cache>/temporal-stompy/temporal-1.5.1`. */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  const cacheRoot = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env['HOME'] || homedir(), '.cache');
  return join(cacheRoot, 'temporal-stompy', `temporal-${TEMPORAL_CLI_VERSION}`);
}

function logToStderr(message: string): void {
  process.stderr.write(`[temporal-cli] ${message}\n`);
}

/**
 * Builds the CLI with `go install` into a temporary GOBIN next to the cache folder and renames the
 * binary into place, so a killed build never leaves a partial binary. A lock folder keeps two callers
 * (two jest runs, two CI jobs on one machine) from building at once; the second waits for the first.
 */
async function buildIntoCache(
  go: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  log: (message: string) => void,
): Promise<string> {
  const targetDir = temporalCliCacheDir(env);
  const target = join(targetDir, BINARY_NAME);
  const parent = resolve(targetDir, '..');
  const lockDir = `${targetDir}.lock`;
  await mkdir(parent, { recursive: true });

  const done = async (): Promise<string | undefined> =>
    (await executableProblem(target)) === undefined ? target : undefined;
  const lock = { timeoutMs, activity: 'building the Temporal CLI', kind: 'build', done, log };
  return withLockDir(lockDir, lock, async (deadline) => {
    const buildDir = await mkdtemp(join(parent, `.temporal-${TEMPORAL_CLI_VERSION}-build-`));
    try {
      const logFile = `${targetDir}.build.log`;
      log(
        `no Temporal CLI found: building v${TEMPORAL_CLI_VERSION} with ${go} into ${targetDir} ` +
          `(a few minutes the first time, cached afterwards; log: ${logFile})`,
      );
      const started = Date.now();
      await runGoInstall(go, { ...env, GOBIN: buildDir }, logFile, Math.max(1, deadline - Date.now()), log);

      const built = join(buildDir, BINARY_NAME);
      const problem = await executableProblem(built);
      if (problem !== undefined) throw new Error(`go install finished but ${built} is unusable: ${problem}`);
      const version = await checkVersion(built);

      await mkdir(targetDir, { recursive: true });
      await rename(built, target);
      log(`built ${target} in ${Math.round((Date.now() - started) / 1000)} s (${version})`);
      return target;
    } finally {
      await rm(buildDir, { recursive: true, force: true });
    }
  });
}

/** Runs `<binary> --version` to prove the build works; returns its first output line. */
async function checkVersion(binary: string): Promise<string> {
  return new Promise<string>((resolveCheck, rejectCheck) => {
    const child = spawn(binary, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), VERSION_CHECK_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      rejectCheck(new Error(`the built ${binary} does not run: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveCheck(output.trim().split('\n')[0] ?? '');
      else
        rejectCheck(new Error(`the built ${binary} --version failed (${code ?? signal}): ${output.trim()}`));
    });
  });
}
