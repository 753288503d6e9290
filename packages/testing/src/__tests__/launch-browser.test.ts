// A real headless Chromium (the one jest's globalSetup found or installed) against a tiny page served
// by a local http server: click, read the DOM and the computed CSS, screenshot; then close() must leave
// no Chromium process and no profile folder behind.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromiumProcesses } from '../browser-processes';
import { launchBrowser, type TestBrowser } from '../launch-browser';
import { saveScreenshot, testArtefactsDir } from '../test-artefacts';

const PAGE = `<!doctype html>
<html>
  <head>
    <title>stompy browser test</title>
    <style>
      body { font-family: sans-serif; margin: 24px; }
      .badge { display: inline-block; width: 160px; padding: 8px; color: rgb(255, 255, 255); background: rgb(200, 30, 60); }
      .badge.done { background: rgb(20, 140, 60); }
    </style>
  </head>
  <body>
    <h1>Durable memory</h1>
    <span id="status" class="badge">waiting</span>
    <button id="go" type="button">Record outcome</button>
    <script>
      document.getElementById('go').addEventListener('click', () => {
        const status = document.getElementById('status');
        status.textContent = 'recorded';
        status.classList.add('done');
      });
    </script>
  </body>
</html>`;

// The browser's own function, for code that runs in the page (this workspace compiles without the DOM lib).
declare function getComputedStyle(element: unknown): { backgroundColor: string };

let server: Server;
let url: string;
let browser: TestBrowser | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(PAGE);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close(); // the last test closes it; this is for when a test failed before that
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
});

function launched(): TestBrowser {
  if (browser === undefined) throw new Error('launchBrowser() failed in beforeAll');
  return browser;
}

test('serves a page that Chromium renders, clicks and restyles', async () => {
  const page = await launched().newPage();
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  expect(await page.title()).toBe('stompy browser test');

  const status = page.locator('#status');
  expect(await status.textContent()).toBe('waiting');
  const background = (): Promise<string> =>
    status.evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(await background()).toBe('rgb(200, 30, 60)');
  expect((await status.boundingBox())?.width).toBe(176); // 160 px wide plus 8 px padding each side

  await page.click('#go');
  expect(await status.textContent()).toBe('recorded');
  expect(await background()).toBe('rgb(20, 140, 60)');
  await page.close();
});

test('saves a non-empty PNG screenshot into <repo>/test-artefacts', async () => {
  const page = await launched().newPage();
  await page.goto(url);
  await page.click('#go');
  const path = await saveScreenshot(page, 'testing/launch-browser clicked');

  expect(path).toBe(join(await testArtefactsDir(), 'testing-launch-browser-clicked.png'));
  expect(existsSync(join(await testArtefactsDir(), '..', 'pnpm-workspace.yaml'))).toBe(true);
  expect((await stat(path)).size).toBeGreaterThan(1_000);
  const png = await readFile(path);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  await page.close();
});

test('close() ends every Chromium process of this browser and removes its profile', async () => {
  const { userDataDir } = launched();
  const running = await chromiumProcesses(userDataDir);
  expect(running.length).toBeGreaterThan(1); // the browser and its helpers
  const pgrep = (): Promise<{ stdout: string }> =>
    promisify(execFile)('pgrep', ['-f', '--', `--user-data-dir=${userDataDir}`], { timeout: 10_000 });
  const matched = (await pgrep()).stdout.trim().split('\n').map(Number);
  expect(matched).toContain(running[0]); // the browser itself, and the helpers that got the flag too
  expect(running).toEqual(expect.arrayContaining(matched));

  await launched().close();

  expect(await chromiumProcesses(userDataDir)).toEqual([]);
  expect(running.filter(isLive)).toEqual([]);
  await expect(pgrep()).rejects.toMatchObject({ code: 1 }); // pgrep exits with 1 when nothing matches
  expect(existsSync(userDataDir)).toBe(false);
});

/** Whether a process exists and is not a zombie waiting for its (re)parent to reap it. */
function isLive(pid: number): boolean {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return line.slice(line.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
