// Resolution order and error paths of chromiumPath with fake executables in temp folders, and its
// install step with a fake apt-get (this machine's real Chromium is never installed or removed here).
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AptSystem } from '../apt-install';
import { chromiumPath, type ChromiumPathOptions } from '../chromium-path';

const FAKE_CHROMIUM = '#!/bin/sh\necho "Chromium 1.0 fake"\n';
const DEBIAN_ROOT: AptSystem = { uid: 0, osRelease: 'PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\n' };

let root: string;
let logs: string[];
const log = (message: string): void => {
  logs.push(message);
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'chromium-path-test-'));
  logs = [];
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function executable(path: string, content = FAKE_CHROMIUM, mode = 0o755): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

/** Options that see only the temp folder: no real /usr/bin/chromium, PATH, cache or machine. */
function isolated(extra: NodeJS.ProcessEnv = {}, options: ChromiumPathOptions = {}): ChromiumPathOptions {
  const env = {
    PATH: join(root, 'bin'),
    HOME: join(root, 'home'),
    XDG_CACHE_HOME: join(root, 'xdg'),
    ...extra,
  };
  return { env, knownPaths: [join(root, 'usr-bin', 'chromium')], system: DEBIAN_ROOT, log, ...options };
}

describe('chromiumPath finds', () => {
  test('STOMPY_TEST_CHROMIUM first, before the known path and PATH', async () => {
    const fromEnv = await executable(join(root, 'custom', 'chrome'));
    await executable(join(root, 'usr-bin', 'chromium'));
    await executable(join(root, 'bin', 'chromium'));
    await expect(chromiumPath(isolated({ STOMPY_TEST_CHROMIUM: fromEnv }))).resolves.toBe(fromEnv);
  });

  test('the known path (/usr/bin/chromium) before PATH', async () => {
    const known = await executable(join(root, 'usr-bin', 'chromium'));
    await executable(join(root, 'bin', 'chromium'));
    await expect(chromiumPath(isolated())).resolves.toBe(known);
  });

  test('chromium on PATH before chromium-browser; non-executable entries are skipped', async () => {
    await executable(join(root, 'bin', 'chromium'), FAKE_CHROMIUM, 0o644);
    const browser = await executable(join(root, 'bin', 'chromium-browser'));
    await expect(chromiumPath(isolated())).resolves.toBe(browser);
    const chromium = await executable(join(root, 'bin2', 'chromium'));
    const path = `${join(root, 'bin')}:${join(root, 'bin2')}`;
    await expect(chromiumPath(isolated({ PATH: path }))).resolves.toBe(chromium);
  });
});

describe('chromiumPath errors', () => {
  test('STOMPY_TEST_CHROMIUM naming a missing file is a clear error, not a fallback', async () => {
    await executable(join(root, 'usr-bin', 'chromium'));
    const missing = join(root, 'nowhere', 'chromium');
    await expect(chromiumPath(isolated({ STOMPY_TEST_CHROMIUM: missing }))).rejects.toThrow(
      `STOMPY_TEST_CHROMIUM=${missing} does not name a usable Chromium: no such file`,
    );
  });

  test('STOMPY_TEST_CHROMIUM naming a non-executable file or a folder is a clear error', async () => {
    const plain = await executable(join(root, 'plain', 'chromium'), FAKE_CHROMIUM, 0o644);
    await expect(chromiumPath(isolated({ STOMPY_TEST_CHROMIUM: plain }))).rejects.toThrow(
      /does not name a usable Chromium: it is not executable\. Point it at a Chromium or Chrome binary/,
    );
    await expect(chromiumPath(isolated({ STOMPY_TEST_CHROMIUM: root }))).rejects.toThrow(
      /does not name a usable Chromium: it is not a regular file/,
    );
  });

  test('none found and install: false says what to install and which variable to set', async () => {
    const failure = chromiumPath(isolated({}, { install: false }));
    await expect(failure).rejects.toThrow(/No Chromium for the browser tests: none at .*usr-bin\/chromium/);
    await expect(failure).rejects.toThrow(/installing one was not asked for/);
    await expect(failure).rejects.toThrow(/apt-get install chromium\), or set STOMPY_TEST_CHROMIUM/);
  });

  test('none found and not root, not Debian, or no apt-get: says why it cannot install', async () => {
    await executable(join(root, 'bin', 'apt-get'), '#!/bin/sh\nexit 0\n');
    await expect(chromiumPath(isolated({}, { system: { ...DEBIAN_ROOT, uid: 1000 } }))).rejects.toThrow(
      /cannot be installed here: this process is not root.*set STOMPY_TEST_CHROMIUM/,
    );
    const fedora = { uid: 0, osRelease: 'ID=fedora\nID_LIKE="rhel centos"\n' };
    await expect(chromiumPath(isolated({}, { system: fedora }))).rejects.toThrow(
      /this is not Debian or Ubuntu \(\/etc\/os-release ID: fedora rhel centos\)/,
    );
    const ubuntuWithoutApt = { uid: 0, osRelease: 'ID=ubuntu\nID_LIKE=debian\n' };
    await expect(
      chromiumPath(isolated({ PATH: join(root, 'empty') }, { system: ubuntuWithoutApt })),
    ).rejects.toThrow(/apt-get is not on PATH/);
  });
});

describe('chromiumPath installs Debian chromium with apt-get', () => {
  /**
   * A fake apt-get: logs each call with DEBIAN_FRONTEND, and on `install` writes a fake chromium into
   * the PATH folder after `delay` seconds; with `needsUpdate`, install fails until `update` ran.
   */
  async function fakeAptGet(
    options: { delay?: number; needsUpdate?: boolean; fail?: boolean; hang?: boolean } = {},
  ) {
    const calls = join(root, 'apt-calls');
    const lists = join(root, 'lists-updated');
    const script = [
      '#!/bin/sh',
      'PATH=/usr/bin:/bin',
      `echo "$*|$DEBIAN_FRONTEND" >> '${calls}'`,
      `if [ "$1" = update ]; then touch '${lists}'; echo "Hit:1 http://deb.debian.org/debian bookworm InRelease"; exit 0; fi`,
      options.needsUpdate
        ? `[ -f '${lists}' ] || { echo "E: Unable to locate package chromium" >&2; exit 100; }`
        : '',
      options.fail ? 'echo "E: Sub-process /usr/bin/dpkg returned an error code (1)" >&2; exit 100' : '',
      'echo "Reading package lists..."',
      options.hang ? 'sleep 600' : `sleep ${options.delay ?? 0}`,
      `printf '#!/bin/sh\\necho "Chromium 156.0 fake"\\n' > '${join(root, 'bin', 'chromium')}'`,
      `chmod 755 '${join(root, 'bin', 'chromium')}'`,
      'echo "Setting up chromium (156.0) ..."',
    ].join('\n');
    await executable(join(root, 'bin', 'apt-get'), script);
    return async (): Promise<string[]> => {
      try {
        return (await readFile(calls, 'utf8')).trim().split('\n');
      } catch {
        return [];
      }
    };
  }

  const INSTALL = 'install -y --no-install-recommends -o DPkg::Lock::Timeout=120 chromium|noninteractive';

  test('installs non-interactively, logs to the cache folder, then finds it and leaves no lock', async () => {
    const calls = await fakeAptGet();
    const installed = await chromiumPath(isolated());
    expect(installed).toBe(join(root, 'bin', 'chromium'));
    expect(await calls()).toEqual([INSTALL]);
    expect(await readdir(join(root, 'xdg', 'temporal-stompy'))).toEqual(['chromium-install.log']);
    expect(await readFile(join(root, 'xdg', 'temporal-stompy', 'chromium-install.log'), 'utf8')).toContain(
      'Setting up chromium',
    );
    expect(logs.join('\n')).toMatch(/installed .*chromium in \d+ s \(Chromium 156\.0 fake\)/);
    await expect(chromiumPath(isolated())).resolves.toBe(installed); // found now: no second install
    expect(await calls()).toHaveLength(1);
  });

  test('two concurrent callers (two jest workers) install once: the second waits on the lock', async () => {
    const calls = await fakeAptGet({ delay: 2 });
    const [a, b] = await Promise.all([chromiumPath(isolated()), chromiumPath(isolated())]);
    expect(a).toBe(join(root, 'bin', 'chromium'));
    expect(b).toBe(a);
    expect(await calls()).toEqual([INSTALL]);
    expect(logs.join('\n')).toContain('is installing Chromium; waiting for it');
  });

  test('runs apt-get update only when the install fails for missing package lists', async () => {
    const calls = await fakeAptGet({ needsUpdate: true });
    await expect(chromiumPath(isolated())).resolves.toBe(join(root, 'bin', 'chromium'));
    expect(await calls()).toEqual([INSTALL, 'update|noninteractive', INSTALL]);
    expect(logs.join('\n')).toContain('running apt-get update first');
  });

  test('a failing install is a clear error with the end of its output, and leaves no lock', async () => {
    const calls = await fakeAptGet({ fail: true });
    await expect(chromiumPath(isolated())).rejects.toThrow(
      /apt-get install chromium failed \(exit code 100; log: .*chromium-install\.log\)\. Last lines:\nE: Sub-process/,
    );
    expect(await calls()).toEqual([INSTALL]); // not a lists problem: no update
    expect(await readdir(join(root, 'xdg', 'temporal-stompy'))).toEqual(['chromium-install.log']);
  });

  test('an install that outlives its timeout is killed and reported', async () => {
    await fakeAptGet({ hang: true });
    const started = Date.now();
    await expect(chromiumPath(isolated({}, { installTimeoutMs: 1_000 }))).rejects.toThrow(
      /apt-get install .* chromium timed out after 1 s .*Last lines:\nReading package lists/s,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
