/**
 * Takes the screenshots `docs/web-page.md` shows, of every view of a running memory web page, in a real
 * headless Chromium: `node examples/order-processing/dist/page-screenshots.js <page url> <project>`,
 * while `corepack pnpm demo --keep-running` serves the demo's memory. Writes `docs/images/web-page-*.png`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser } from '@temporal-stompy/testing';

const VIEWS: readonly { name: string; path: string; width?: number }[] = [
  { name: 'overview', path: '/' },
  { name: 'heat-map', path: '/key?key=activity%3AchargePayment' },
  { name: 'pattern-outcomes', path: '/outcomes?key=activity%3AchargePayment&window=PATTERN' },
  { name: 'entity', path: '/keys?kind=entity' },
  { name: 'versions', path: '/versions' },
  { name: 'search', path: '/search?q=GatewayTimeout' },
  { name: 'phone', path: '/key?key=activity%3AchargePayment', width: 390 },
];

async function main(): Promise<void> {
  const [base, project] = process.argv.slice(2);
  if (base === undefined || project === undefined)
    throw new Error('usage: page-screenshots <page url> <project>');
  const out = join('docs', 'images');
  mkdirSync(out, { recursive: true });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    // The pattern's window, as the key page lists it, and an entity from the list.
    await page.goto(`${base}/key?key=activity%3AchargePayment&project=${encodeURIComponent(project)}`);
    const window = (await page.locator('#patterns li').first().getAttribute('data-window')) ?? '0';
    for (const view of VIEWS) {
      await page.setViewportSize({ width: view.width ?? 1280, height: 900 });
      const path = view.path.replace('PATTERN', window);
      await page.goto(
        `${base}${path}${path.includes('?') ? '&' : '?'}project=${encodeURIComponent(project)}`,
      );
      if (view.name === 'entity') await page.locator('table tbody a').first().click();
      const file = join(out, `web-page-${view.name}.png`);
      await page.screenshot({ path: file, fullPage: view.name !== 'search' });
      console.log(file);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
