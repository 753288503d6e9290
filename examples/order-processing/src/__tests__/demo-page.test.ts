import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openServerDeps, resolveConfig } from '@temporal-stompy/memory-server';
import pino from 'pino';
import { batchEntries, patternedOutcomes } from '@temporal-stompy/testing';
import { demoPageUrl, serveDemoPage } from '../demo-page';

// The demo's page: the memory server's web page on the demo's memory file, links to the Temporal UI.

it("serves the web page of a memory file, linking runs to the dev server's Web UI", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'demo-page-'));
  const dbPath = join(dir, 'memory.db');
  try {
    const { store } = await openServerDeps(resolveConfig({ dbPath, logger: pino({ level: 'silent' }) }));
    const entries = batchEntries(patternedOutcomes(300, 3));
    for (let from = 0; from < entries.length; from += 100) {
      await store.lockBatch({ contexts: entries.slice(from, from + 100) as never, project: 'demo-1' });
    }
    await store.close();
    const page = await serveDemoPage(dbPath, 'http://127.0.0.1:18233');
    try {
      const answer = await fetch(demoPageUrl(page.url, 'demo-1', 'activity:chargePayment'));
      expect(answer.status).toBe(200);
      const html = await answer.text();
      expect(html).toContain('<h1>activity:chargePayment</h1>');
      expect(html).toContain('href="http://127.0.0.1:18233/namespaces/default/workflows/order-3-');
      expect((await fetch(`${page.url}/mcp`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await page.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
