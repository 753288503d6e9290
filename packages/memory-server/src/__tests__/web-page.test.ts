import { hourOfWeek, type KeyInsights } from '@temporal-stompy/insights';
import {
  batchEntries,
  patternedOutcomes,
  PATTERN_WINDOW,
  REGRESSED_BUILD,
  type GeneratedOutcome,
} from '@temporal-stompy/testing';
import { serveHttp } from '../serve-http';
import type { RunningHttpServer } from '../transports/http-server';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';

// The web page over HTTP, on both stores: every figure is the one outcome_insights returns, the heat
// map shows the injected pattern, a pattern leads to its outcomes and each of them to its run in the
// Temporal Web UI. (The browser tests drive the same pages in Chromium.)

const OUTCOMES = patternedOutcomes(1200, 5);
const TEMPORAL_UI = 'http://temporal.example:8233';

interface Cell {
  window: number;
  runs: number;
  failures: number;
  pattern: boolean;
}

/** The heat map's cells, read from the page's HTML. */
function cellsOf(page: string): Cell[] {
  const cells: Cell[] = [];
  const cell = /class="cell ([^"]*)"\s+data-window="(\d+)" data-runs="(\d+)" data-failures="(\d+)"/g;
  for (const m of page.matchAll(cell)) {
    const classes = (m[1] ?? '').split(' ');
    cells.push({
      window: Number(m[2]),
      runs: Number(m[3]),
      failures: Number(m[4]),
      pattern: classes.includes('pattern'),
    });
  }
  return cells;
}

/** The newest first order of the pages: hour of event time, then write order. */
function newestFirst(outcomes: readonly GeneratedOutcome[]): GeneratedOutcome[] {
  const order = new Map(OUTCOMES.map((o, i) => [o, i]));
  const hour = (o: GeneratedOutcome) => Math.floor(o.facts.eventTimeMs / 3_600_000);
  return [...outcomes].sort((a, b) => hour(b) - hour(a) || (order.get(b) ?? 0) - (order.get(a) ?? 0));
}

describe.each(['sqlite', 'postgres'] as const)('the web page on %s', (store) => {
  let h: ToolHarness;
  let server: RunningHttpServer;
  const get = async (path: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(server.url + path);
    return { status: res.status, body: await res.text() };
  };
  const insights = async (key: string): Promise<KeyInsights> =>
    (await h.ok<{ insights: KeyInsights[] }>('outcome_insights', { keys: [key] })).insights[0] as KeyInsights;

  beforeAll(async () => {
    h = await openToolHarness({ store });
    const entries = batchEntries(OUTCOMES);
    for (let from = 0; from < entries.length; from += 100) {
      await h.ok('lock_context_batch', { contexts: entries.slice(from, from + 100) });
    }
    server = await serveHttp(h.deps, { temporalUiUrl: TEMPORAL_UI });
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  it("draws a key's heat map from its insights' windows, the injected pattern outlined", async () => {
    const charge = await insights('activity:chargePayment');
    expect(charge.patterns.map((p) => p.window)).toEqual([PATTERN_WINDOW]);
    const { status, body } = await get('/key?key=activity%3AchargePayment');
    expect(status).toBe(200);
    const cells = cellsOf(body);
    expect(cells).toHaveLength(168);
    const counted = new Map(charge.windows.map((w) => [w.window, w]));
    for (const cell of cells) {
      expect([cell.runs, cell.failures]).toEqual([
        counted.get(cell.window)?.runs ?? 0,
        counted.get(cell.window)?.failures ?? 0,
      ]);
    }
    expect(cells.filter((c) => c.pattern).map((c) => c.window)).toEqual([PATTERN_WINDOW]);
    expect(body).toContain(charge.patterns[0]?.reason.replace(/&/g, '&amp;'));
    expect(body).toContain(`<div class="figure" id="runs">${charge.runs.toLocaleString('en-US')}</div>`);
  });

  it('recounts the heat map in another time zone from the hours of event time', async () => {
    const zone = 'America/New_York';
    const { body } = await get(`/key?key=activity%3AchargePayment&tz=${encodeURIComponent(zone)}`);
    const expected = new Map<number, { runs: number; failures: number }>();
    for (const o of OUTCOMES.filter((o) => o.keys.includes('activity:chargePayment'))) {
      const hourStart = Math.floor(o.facts.eventTimeMs / 3_600_000) * 3_600_000;
      const cell = expected.get(hourOfWeek(hourStart, zone)) ?? { runs: 0, failures: 0 };
      cell.runs += 1;
      cell.failures += o.facts.failed ? 1 : 0;
      expected.set(hourOfWeek(hourStart, zone), cell);
    }
    const cells = cellsOf(body);
    expect(cells).toHaveLength(168);
    for (const cell of cells) {
      expect({ runs: cell.runs, failures: cell.failures }).toEqual(
        expected.get(cell.window) ?? { runs: 0, failures: 0 },
      );
    }
    expect(body).toContain('data-time-zone="America/New_York"');
  });

  it('leads from a pattern to its outcomes, newest first, each to its run in the Temporal UI', async () => {
    const { body } = await get(`/outcomes?key=activity%3AchargePayment&window=${PATTERN_WINDOW}&tz=UTC`);
    const inWindow = newestFirst(
      OUTCOMES.filter((o) => o.keys.includes('activity:chargePayment') && o.facts.window === PATTERN_WINDOW),
    );
    const topics = [...body.matchAll(/<tr data-topic="([^"]+)"/g)].map((m) => m[1]);
    expect(topics).toEqual(inWindow.slice(0, 50).map((o) => o.topic));
    const first = inWindow[0];
    const [, workflowId, runId] = /^temporal:act:default:([^:]+):([^:]+):/.exec(first?.topic ?? '') ?? [];
    expect(body).toContain(
      `href="${TEMPORAL_UI}/namespaces/default/workflows/${workflowId}/${runId}/history"`,
    );
    const charge = await insights('activity:chargePayment');
    const counted = charge.windows.find((w) => w.window === PATTERN_WINDOW);
    expect(body).toContain(`${counted?.failures} of ${counted?.runs} default-path outcomes failed`);
  });

  it('shows the overview with the figures of outcome_insights, and the regression', async () => {
    const { body } = await get('/');
    const ship = await insights('activity:shipOrder');
    const base = (
      await h.ok<{ base: { runs: number } }>('outcome_insights', { keys: ['activity:shipOrder'] })
    ).base;
    expect(base.runs).toBe(OUTCOMES.length);
    expect(body).toContain(
      `<div class="figure" id="outcomes-recorded">${OUTCOMES.length.toLocaleString('en-US')}</div>`,
    );
    expect(ship.regression?.version).toBe(REGRESSED_BUILD);
    expect(body).toContain(ship.regression?.reason);
    expect(body).toContain('id="failure-chart"');
  });

  it('shows version health with the regressed build flagged and when the flag fired', async () => {
    const { body } = await get('/versions');
    const section =
      /<section class="version-health" data-key="activity:shipOrder">[\s\S]*?<\/section>/.exec(body)?.[0] ??
      '';
    expect(section).toMatch(
      new RegExp(
        `data-version="${REGRESSED_BUILD.replace(/\./g, '\\.')}">\\s*<td>${REGRESSED_BUILD.replace(/\./g, '\\.')} <span class="flag">regression`,
      ),
    );
    expect(section).toMatch(/first flagged 2026-\d\d-\d\d \d\d:\d\d UTC, after \d+ runs of it/);
  });

  it("shows an entity's profile across types, and finds notes by search", async () => {
    const c7 = await insights('customer:C7');
    const { body } = await get('/key?key=customer%3AC7');
    expect(body).toContain(`<div class="figure" id="runs">${c7.runs.toLocaleString('en-US')}</div>`);
    for (const type of ['chargePayment', 'reserveInventory', 'shipOrder']) {
      expect(body).toContain(`href="/key?key=activity%3A${type}"`);
    }
    const search = await get('/search?q=CarrierRejected');
    expect(search.body).toMatch(/id="search-summary">\s*\d+ found/);
    expect(search.body).toContain('class="hit"');
  });

  it("refuses a bad key with the store's reason, as a page", async () => {
    const { status, body } = await get('/key?key=');
    expect(status).toBe(400);
    expect(body).toContain('id="refusal">keys[0]: must be a non-empty string');
  });
});
