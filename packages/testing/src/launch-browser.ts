// Launches the Chromium of chromiumPath() headless through playwright-core, with a fresh profile
// folder of its own that close() removes, and the flags that keep it off this machine's closed network.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumProcesses, endProcesses } from './browser-processes';
import { chromiumPath } from './chromium-path';
import { withTimeout } from './with-timeout';

/**
 * Flags every test browser gets (besides headless mode): no sandbox (Chromium refuses to run as root
 * with one), no GPU, and no background connections (updates, sync, QUIC), which a machine without
 * internet refuses many at a time.
 */
export const CHROMIUM_TEST_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Options of {@link launchBrowser}. */
export interface LaunchBrowserOptions {
  /** The Chromium binary; default: {@link chromiumPath}() (which reads STOMPY_TEST_CHROMIUM first). */
  executablePath?: string;
  /** Longest the launch may take; default 60 s. */
  launchTimeoutMs?: number;
  /** Default timeout of each page action and navigation (click, goto, screenshot...); default 15 s. */
  actionTimeoutMs?: number;
  /** Longest close() waits for Chromium to exit before killing it; default 15 s. */
  closeTimeoutMs?: number;
  /** More Chromium flags, after {@link CHROMIUM_TEST_FLAGS}. */
  args?: readonly string[];
}

/** A headless Chromium with a profile folder of its own. `close()` must be awaited (in afterAll). */
export interface TestBrowser {
  /** The Playwright browser context: one profile, shared by every page of this browser. */
  readonly context: BrowserContext;
  /** The Chromium binary it runs. */
  readonly executablePath: string;
  /** Its fresh profile folder (`--user-data-dir`), removed by close(). */
  readonly userDataDir: string;
  /** Opens a new tab. */
  newPage(): Promise<Page>;
  /**
   * Closes Chromium, kills any of its processes still running after `closeTimeoutMs`, and removes the
   * profile folder. Must be awaited: a test that does not leaves Chromium running after jest exits.
   * Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/**
 * Launches Chromium headless with {@link CHROMIUM_TEST_FLAGS} and a fresh `--user-data-dir` in the
 * temporary folder. Playwright never downloads a browser here: it drives the one chromiumPath() finds.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<TestBrowser> {
  const executablePath = options.executablePath ?? (await chromiumPath());
  const launchTimeoutMs = options.launchTimeoutMs ?? 60_000;
  const actionTimeoutMs = options.actionTimeoutMs ?? 15_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 15_000;
  const userDataDir = await mkdtemp(join(tmpdir(), 'stompy-chromium-'));

  let context: BrowserContext;
  try {
    context = await withTimeout(
      chromium.launchPersistentContext(userDataDir, {
        executablePath,
        headless: true,
        chromiumSandbox: false,
        args: [...CHROMIUM_TEST_FLAGS, ...(options.args ?? [])],
        timeout: launchTimeoutMs,
        // Crash reports go into the profile too, not ~/.config/chromium: the crash handlers then name
        // the profile folder, so close() finds and ends them (they are not children of the browser).
        env: { ...process.env, BREAKPAD_DUMP_LOCATION: join(userDataDir, 'Crash Reports') },
      }),
      launchTimeoutMs + 5_000,
      `launching ${executablePath}`,
    );
  } catch (error) {
    await removeProfile(userDataDir);
    throw new Error(
      `Could not launch Chromium ${executablePath} (profile ${userDataDir}): ${(error as Error).message}`,
    );
  }
  context.setDefaultTimeout(actionTimeoutMs);
  context.setDefaultNavigationTimeout(Math.max(actionTimeoutMs, 30_000));

  let closing: Promise<void> | undefined;
  return {
    context,
    executablePath,
    userDataDir,
    newPage: () => withTimeout(context.newPage(), actionTimeoutMs, 'opening a new Chromium page'),
    close: () => (closing ??= closeBrowser(context, userDataDir, closeTimeoutMs)),
  };
}

async function closeBrowser(context: BrowserContext, userDataDir: string, timeoutMs: number): Promise<void> {
  const processes = await chromiumProcesses(userDataDir); // before close: the helpers outlive the browser a little
  let failure: Error | undefined;
  try {
    await withTimeout(context.close(), timeoutMs, 'closing Chromium');
  } catch (error) {
    failure = error as Error;
  }
  await endProcesses(processes, failure === undefined ? 5_000 : 0);
  await removeProfile(userDataDir);
  if (failure !== undefined) throw failure;
}

/** Kills what is left of the browser, then removes its profile folder. */
async function removeProfile(userDataDir: string): Promise<void> {
  await endProcesses(await chromiumProcesses(userDataDir), 0);
  await rm(userDataDir, { recursive: true, force: true, maxRetries: 5 });
}
