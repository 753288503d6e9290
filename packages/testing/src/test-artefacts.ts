// The folder where tests leave files worth looking at after a run (browser screenshots), kept out of git.
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';

/** The workspace root: the nearest folder above this file holding pnpm-workspace.yaml. */
function workspaceRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) {
      throw new Error(`no pnpm-workspace.yaml above ${__dirname}: cannot place test-artefacts/`);
    }
  }
}

/** `<repo>/test-artefacts/`, created when missing (git ignores it): screenshots and other test output. */
export async function testArtefactsDir(): Promise<string> {
  const dir = join(workspaceRoot(), 'test-artefacts');
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Saves a full-page PNG screenshot of `page` as `test-artefacts/<name>.png` (characters other than
 * letters, digits, `.`, `_` and `-` become `-`) and returns its path; throws if the file is empty.
 */
export async function saveScreenshot(page: Page, name: string, timeoutMs = 15_000): Promise<string> {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'screenshot';
  const path = join(await testArtefactsDir(), safe.endsWith('.png') ? safe : `${safe}.png`);
  await page.screenshot({ path, fullPage: true, timeout: timeoutMs });
  if ((await stat(path)).size === 0) throw new Error(`the screenshot ${path} is empty`);
  return path;
}
