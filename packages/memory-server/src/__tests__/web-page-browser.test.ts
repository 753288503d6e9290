import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  batchEntries,
  launchBrowser,
  patternedOutcomes,
  PATTERN_WINDOW,
  saveScreenshot,
  type TestBrowser,
} from '@temporal-stompy/testing';
import { serveHttp } from '../serve-http';
import type { RunningHttpServer } from '../transports/http-server';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';

// The web page in a real headless Chromium, served off loopback with a token: sign-in, the heat map's
// injected pattern (read from the DOM, and kept as a screenshot in test-artefacts/), navigation from
// a pattern to its outcomes to the run in the Temporal UI, search, an entity page, notes that try to
// run script, and a phone's width.

type Page = Awaited<ReturnType<TestBrowser['newPage']>>;

const TOKEN = 'web-page-browser-test-token-0123456789';
const XSS = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">';

describe('the web page in Chromium', () => {
  let h: ToolHarness;
  let server: RunningHttpServer;
  let browser: TestBrowser;
  let page: Page;
  let temporalUi: Server;
  const temporalUiPaths: string[] = [];
  let base: string;

  beforeAll(async () => {
    temporalUi = createServer((req, res) => {
      temporalUiPaths.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>Temporal UI stand-in</title>');
    });
    await new Promise<void>((resolve) => temporalUi.listen(0, '127.0.0.1', resolve));
    h = await openToolHarness();
    const entries = batchEntries(patternedOutcomes(1200, 5));
    for (let from = 0; from < entries.length; from += 100) {
      await h.ok('lock_context_batch', { contexts: entries.slice(from, from + 100) });
    }
    const facts = {
      kind: 'activity',
      workflowType: 'OrderWorkflow',
      activityType: 'chargePayment',
      failed: true,
    };
    const xss = await h.ok<{ stored: number; results: unknown[] }>('lock_context_batch', {
      contexts: [
        {
          topic: 'xss-note',
          content: `Workflow: OrderWorkflow (${XSS}, run r1)\nNote: ${XSS}\nTask queue: q; namespace: default`,
          tags: ['xss'],
          outcome: {
            keys: [`customer:${XSS}`],
            facts: {
              ...facts,
              issue: XSS,
              message: XSS,
              durationMs: 5,
              eventTimeMs: Date.UTC(2026, 10, 20),
              timeZone: 'UTC',
              window: 96,
            },
          },
        },
      ],
    });
    expect(xss.results).toEqual([expect.objectContaining({ created: true })]);
    const { port } = temporalUi.address() as AddressInfo;
    server = await serveHttp(h.deps, {
      host: '0.0.0.0',
      tokens: [TOKEN],
      temporalUiUrl: `http://127.0.0.1:${port}`,
    });
    base = server.url.replace('0.0.0.0', '127.0.0.1');
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, TOKEN);
  }, 120_000);

  /** Signs the browser in with a token through the sign-in form (the session cookie then opens every page). */
  async function signIn(on: Page, token: string): Promise<void> {
    await on.goto(`${base}/login`);
    await on.fill('input[name=token]', token);
    await Promise.all([on.waitForURL(`${base}/`), on.click('form button')]);
  }

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h?.close();
    await new Promise((resolve) => temporalUi?.close(resolve));
  });

  it('answers 401 with a sign-in form without the token, and signs in with it', async () => {
    await browser.context.clearCookies();
    const refused = await page.goto(`${base}/key?key=activity%3AchargePayment`);
    expect(refused?.status()).toBe(401);
    await page.fill('input[name=token]', 'not the token');
    await page.click('form button');
    expect(await page.locator('#sign-in-refused').isVisible()).toBe(true);
    await page.fill('input[name=token]', TOKEN);
    await Promise.all([page.waitForURL(/\/key\?key=activity%3AchargePayment$/), page.click('form button')]);
    expect(await page.locator('h1').textContent()).toBe('activity:chargePayment');
  });

  it("shows the injected pattern's cell in the heat map, outlined and darkest", async () => {
    await page.goto(`${base}/key?key=activity%3AchargePayment&tz=UTC`);
    // Read in the page (as strings: this file is type-checked without the DOM's types).
    const outlined = await page.evaluate<number[]>(
      `[...document.querySelectorAll('.heat-map .cell.pattern')].map((c) => Number(c.dataset.window))`,
    );
    expect(outlined).toEqual([PATTERN_WINDOW]);
    const cells = await page.evaluate<{ w: number; runs: number; failures: number }[]>(
      `[...document.querySelectorAll('.heat-map .cell')].map((c) => ({
        w: Number(c.dataset.window), runs: Number(c.dataset.runs), failures: Number(c.dataset.failures) }))`,
    );
    expect(cells).toHaveLength(168);
    const rates = cells.filter((c) => c.runs > 0).map((c) => ({ ...c, rate: c.failures / c.runs }));
    const top = [...rates].sort((a, b) => b.rate - a.rate)[0];
    expect(top?.w).toBe(PATTERN_WINDOW);
    const colourOf = (window: number) =>
      page.evaluate(
        `getComputedStyle(document.querySelector('.heat-map .cell[data-window="${window}"]')).backgroundColor`,
      );
    const colour = await colourOf(PATTERN_WINDOW);
    const quiet = await colourOf(0);
    expect(colour).not.toBe(quiet);
    expect(await page.locator('#patterns li').first().textContent()).toContain('Tuesdays 15:00-16:00 UTC');
    await saveScreenshot(page, 'web-page-heat-map');
  });

  it('leads from a pattern to its outcomes and on to the run in the Temporal UI', async () => {
    await page.goto(`${base}/key?key=activity%3AchargePayment&tz=UTC`);
    await Promise.all([page.waitForURL(/\/outcomes\?/), page.click('#patterns li a')]);
    const times = await page.locator('table.outcomes tbody tr td:first-child').allTextContents();
    expect(times.length).toBeGreaterThan(5);
    for (const time of times) {
      const [date, hour] = time.trim().split(' ');
      expect(new Date(`${date}T00:00:00Z`).getUTCDay()).toBe(2);
      expect(hour?.startsWith('15:')).toBe(true);
    }
    const link = page.locator('a.temporal-link').first();
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/\/namespaces\/default\/workflows\/order-5-\d+\/5-[0-9a-f]{8}-run\/history$/);
    await Promise.all([page.waitForURL(/\/history$/), link.click()]);
    expect(temporalUiPaths.filter((path) => path.endsWith('/history'))).toEqual([new URL(href).pathname]);
  });

  it('searches notes from the header and opens a hit', async () => {
    await page.goto(`${base}/`);
    await page.fill('header input[name=q]', 'CarrierRejected');
    await Promise.all([
      page.waitForURL(/\/search\?q=CarrierRejected/),
      page.press('header input[name=q]', 'Enter'),
    ]);
    expect(await page.locator('#search-summary').textContent()).toMatch(/\d+ found/);
    await Promise.all([page.waitForURL(/\/topic\?/), page.locator('li.hit a').first().click()]);
    expect(await page.locator('#note pre').textContent()).toContain('CarrierRejected');
    expect(await page.locator('#versions').textContent()).toContain('1.0');
  });

  it("opens an entity's page from the entity list, with its profile across activity types", async () => {
    await page.goto(`${base}/keys?kind=entity`);
    await Promise.all([page.waitForURL(/key=customer%3AC7/), page.click('a[href="/key?key=customer%3AC7"]')]);
    expect(await page.locator('h1').textContent()).toBe('customer:C7');
    const types = await page.locator('#profile a').allTextContents();
    expect(types.sort()).toEqual(['OrderWorkflow', 'chargePayment', 'reserveInventory', 'shipOrder']);
  });

  it('shows notes, keys, issues and messages that hold markup as text, running none of it', async () => {
    for (const path of [
      '/topic?topic=xss-note',
      `/key?key=${encodeURIComponent(`customer:${XSS}`)}`,
      '/search?q=window&tags=xss',
      '/keys?kind=entity',
    ]) {
      const response = await page.goto(`${base}${path}`);
      expect(response?.status()).toBe(200);
      expect(await page.evaluate('window.__xss')).toBeUndefined();
      expect(await page.locator('script:not([src])').count()).toBe(0);
      expect(await page.locator('img').count()).toBe(0);
    }
    await page.goto(`${base}/topic?topic=xss-note`);
    expect(await page.locator('#note pre').textContent()).toContain(XSS);
  });

  it("fits a phone's width: only the heat map scrolls sideways", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ['/', '/key?key=activity%3AchargePayment']) {
        await page.goto(`${base}${path}`);
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      }
      await saveScreenshot(page, 'web-page-phone');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
