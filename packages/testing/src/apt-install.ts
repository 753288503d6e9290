// Installs Debian packages with apt-get, which only works as root on Debian or Ubuntu: says why not
// otherwise, runs non-interactively, and runs `apt-get update` only when the package lists are missing.
import { readFile } from 'node:fs/promises';
import { findOnPath } from './executable';
import { runLogged } from './run-logged';

/** Where apt-get runs, its log, how long it may take, and where progress lines go. */
export interface AptInstallOptions {
  env: NodeJS.ProcessEnv;
  logFile: string;
  timeoutMs: number;
  log: (message: string) => void;
}

/** What the install asks apt-get for, and how the machine looks to it (tests pass other values). */
export interface AptSystem {
  /** This process's user id; apt-get installs only as root (0). */
  uid: number | undefined;
  /** The text of /etc/os-release ('' when there is none). */
  osRelease: string;
}

/** Lines of a failed `apt-get install` that mean "the package lists are missing or out of date". */
const LISTS_MISSING =
  /Unable to locate package|has no installation candidate|Failed to fetch|apt-get update/i;

/** This machine as {@link aptInstallProblem} sees it. */
export async function thisSystem(): Promise<AptSystem> {
  let osRelease = '';
  try {
    osRelease = await readFile('/etc/os-release', 'utf8');
  } catch {
    // not Linux, or a minimal container: judged below
  }
  return { uid: process.getuid?.(), osRelease };
}

/**
 * The `apt-get` to install with, or why packages cannot be installed here: not root, not Debian or
 * Ubuntu (by `ID` and `ID_LIKE` of /etc/os-release), or no `apt-get` on `PATH`.
 */
export async function findAptGet(
  env: NodeJS.ProcessEnv,
  system: AptSystem,
): Promise<{ aptGet: string } | { problem: string }> {
  if (system.uid !== 0) return { problem: 'this process is not root, and only root can install packages' };
  const ids = [...system.osRelease.matchAll(/^(?:ID|ID_LIKE)=["']?([^"'\n]*)/gm)].flatMap((match) =>
    (match[1] ?? '').split(/\s+/),
  );
  if (!ids.some((id) => id === 'debian' || id === 'ubuntu')) {
    return { problem: `this is not Debian or Ubuntu (/etc/os-release ID: ${ids.join(' ') || 'none'})` };
  }
  const aptGet = await findOnPath('apt-get', env);
  return aptGet === undefined ? { problem: 'apt-get is not on PATH' } : { aptGet };
}

/**
 * Runs `apt-get install -y --no-install-recommends <packages>` with `DEBIAN_FRONTEND=noninteractive`,
 * waiting up to two minutes for dpkg's lock if someone else is using apt. When the install fails because
 * the package lists are missing or stale, runs `apt-get update` and tries once more. All within
 * `timeoutMs`; output goes to `logFile`, a progress line to `log` every 15 s.
 */
export async function aptInstall(
  aptGet: string,
  packages: string[],
  options: AptInstallOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const env = { ...options.env, DEBIAN_FRONTEND: 'noninteractive' };
  const what = packages.join(' ');
  const run = async (args: string[], label: string): Promise<Awaited<ReturnType<typeof runLogged>>> => {
    const result = await runLogged(aptGet, args, {
      env,
      logFile: options.logFile,
      timeoutMs: Math.max(1, deadline - Date.now()),
      log: options.log,
      label,
    });
    if (result.timedOut) {
      throw new Error(
        `${aptGet} ${args.join(' ')} timed out after ${Math.round(options.timeoutMs / 1000)} s ` +
          `(log: ${options.logFile}). Last lines:\n${result.tail}`,
      );
    }
    return result;
  };
  const installArgs = [
    'install',
    '-y',
    '--no-install-recommends',
    '-o',
    'DPkg::Lock::Timeout=120',
    ...packages,
  ];

  let install = await run(installArgs, `still installing ${what}`);
  if (install.code !== 0 && LISTS_MISSING.test(install.tail)) {
    options.log(
      `apt-get install ${what} failed for missing or stale package lists: running apt-get update first`,
    );
    const update = await run(['update'], 'still running apt-get update');
    if (update.code !== 0) {
      throw new Error(
        `apt-get update failed (exit code ${update.code ?? 'none'}; log: ${options.logFile}). ` +
          `Last lines:\n${update.tail}`,
      );
    }
    install = await run(installArgs, `still installing ${what}`);
  }
  if (install.code !== 0) {
    throw new Error(
      `apt-get install ${what} failed (exit code ${install.code ?? 'none'}; log: ${options.logFile}). ` +
        `Last lines:\n${install.tail}`,
    );
  }
}
