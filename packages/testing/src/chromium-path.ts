// Finds the Chromium that browser tests drive, installing Debian's `chromium` package when there is
// none and this process may (root, Debian or Ubuntu, apt-get). Playwright's own browser download does
// not work without internet, so this is the only way tests get a browser.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { aptInstall, findAptGet, thisSystem, type AptSystem } from './apt-install';
import { withLockDir } from './build-lock';
import { executableProblem, findOnPath } from './executable';
import { temporalCliCacheDir } from './temporal-cli';

/** The environment variable naming the Chromium (or Chrome) binary tests use. */
export const CHROMIUM_ENV = 'STOMPY_TEST_CHROMIUM';
/** Where Debian's `chromium` package puts its binary. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

const DEFAULT_INSTALL_TIMEOUT_MS = 10 * 60_000;
const VERSION_TIMEOUT_MS = 30_000;

/** Options of {@link chromiumPath}; every one has a default suited to tests and CI. */
export interface ChromiumPathOptions {
  /** Environment to read `STOMPY_TEST_CHROMIUM`, `PATH`, `XDG_CACHE_HOME` and `HOME` from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Install Debian's `chromium` when none is found (default true); false throws instead. */
  install?: boolean;
  /** Longest the install (and the wait for another process's install) may take; default 10 minutes. */
  installTimeoutMs?: number;
  /** Absolute paths tried before `PATH`; default `['/usr/bin/chromium']`. */
  knownPaths?: readonly string[];
  /** The machine as the installer sees it (user id, /etc/os-release); default: this one. */
  system?: AptSystem;
  /** Where progress lines go; default: standard error. */
  log?: (message: string) => void;
}

/**
 * Returns the path of a Chromium binary, trying in order: `STOMPY_TEST_CHROMIUM` (which must name an
 * executable file, else this throws), `/usr/bin/chromium`, `chromium` and `chromium-browser` on `PATH`.
 * When none is there and this process is root on Debian or Ubuntu, installs Debian's `chromium` with
 * apt-get (once per machine: concurrent callers wait on a lock folder in `~/.cache/temporal-stompy`);
 * otherwise throws an error naming what to install. Never resolves without a browser.
 */
export async function chromiumPath(options: ChromiumPathOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const fromEnv = env[CHROMIUM_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const path = resolve(fromEnv);
    const problem = await executableProblem(path);
    if (problem !== undefined) {
      throw new Error(
        `${CHROMIUM_ENV}=${fromEnv} does not name a usable Chromium: ${problem}. Point it at a Chromium or ` +
          `Chrome binary (e.g. ${DEBIAN_CHROMIUM}), or unset it to let the tests find or install one.`,
      );
    }
    return path;
  }

  const knownPaths = options.knownPaths ?? [DEBIAN_CHROMIUM];
  const find = (): Promise<string | undefined> => findChromium(env, knownPaths);
  const found = await find();
  if (found !== undefined) return found;

  if (options.install === false) throw notFound(knownPaths, 'installing one was not asked for');
  const apt = await findAptGet(env, options.system ?? (await thisSystem()));
  if ('problem' in apt) throw notFound(knownPaths, `it cannot be installed here: ${apt.problem}`);

  const log = options.log ?? ((message: string) => process.stderr.write(`[chromium] ${message}\n`));
  const timeoutMs = options.installTimeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS;
  const cacheDir = resolve(temporalCliCacheDir(env), '..');
  await mkdir(cacheDir, { recursive: true });
  const lock = { timeoutMs, activity: 'installing Chromium', kind: 'install', done: find, log };
  return withLockDir(join(cacheDir, 'chromium-install.lock'), lock, async (deadline) => {
    const logFile = join(cacheDir, 'chromium-install.log');
    log(
      `no Chromium found: installing Debian's chromium with ${apt.aptGet} (a minute or two; log: ${logFile})`,
    );
    const started = Date.now();
    await aptInstall(apt.aptGet, ['chromium'], {
      env,
      logFile,
      timeoutMs: Math.max(1, deadline - Date.now()),
      log,
    });
    const installed = await find();
    if (installed === undefined) {
      throw new Error(
        `apt-get install chromium succeeded, yet no Chromium is at ${knownPaths.join(', ')} or on PATH ` +
          `(log: ${logFile}). Set ${CHROMIUM_ENV} to a Chromium binary.`,
      );
    }
    const version = await chromiumVersion(installed);
    log(`installed ${installed} in ${Math.round((Date.now() - started) / 1000)} s (${version})`);
    return installed;
  });
}

async function findChromium(
  env: NodeJS.ProcessEnv,
  knownPaths: readonly string[],
): Promise<string | undefined> {
  for (const path of knownPaths) {
    if ((await executableProblem(path)) === undefined) return path;
  }
  return (await findOnPath('chromium', env)) ?? (await findOnPath('chromium-browser', env));
}

function notFound(knownPaths: readonly string[], why: string): Error {
  return new Error(
    `No Chromium for the browser tests: none at ${[...knownPaths, 'chromium or chromium-browser on PATH'].join(', ')}, ` +
      `and ${why}. Install one (as root on Debian or Ubuntu: apt-get install chromium), ` +
      `or set ${CHROMIUM_ENV} to a Chromium or Chrome binary.`,
  );
}

/** `<binary> --version`, proving the install runs. */
async function chromiumVersion(binary: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(binary, ['--version'], { timeout: VERSION_TIMEOUT_MS });
    return stdout.trim();
  } catch (error) {
    throw new Error(`the installed ${binary} does not run: ${(error as Error).message}`);
  }
}
