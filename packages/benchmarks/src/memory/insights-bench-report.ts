import { INSIGHTS_WEEKS } from './insights-corpus';
import type { InsightsKeyRow, InsightsSizeRow } from './insights-bench';

/** Issue 8's targets for one key's `outcome_insights` p50, in milliseconds, by outcomes held. */
export const INSIGHTS_P50_TARGETS: readonly { readonly outcomes: number; readonly p50Ms: number }[] = [
  { outcomes: 100_000, p50Ms: 5 },
  { outcomes: 1_000_000, p50Ms: 20 },
];

const KEY_LABELS: Record<InsightsKeyRow['kind'], string> = {
  hot: 'hot key `activity:chargePayment` (a third of all outcomes)',
  entity: 'an entity key `customer:Cn` (a different one each call)',
};

function fmt(ms: number): string {
  return Number.isNaN(ms) ? '?' : ms.toFixed(2);
}

function targetLines(rows: readonly InsightsSizeRow[]): string[] {
  return INSIGHTS_P50_TARGETS.flatMap(({ outcomes, p50Ms }) => {
    const row = rows.find((r) => r.size === outcomes);
    if (!row)
      return [`- p50 <= ${p50Ms} ms at ${outcomes.toLocaleString('en')} outcomes: not measured in this run.`];
    const worst = Math.max(...row.keys.map((k) => k.sdk.p50));
    return [
      `- p50 <= ${p50Ms} ms at ${outcomes.toLocaleString('en')} outcomes (SDK client, the client the plugin uses, ` +
        `worst of the keys): **${fmt(worst)} ms, ${worst <= p50Ms ? 'met' : 'missed'}**.`,
    ];
  });
}

/** The `outcome_insights` part of the `bench:memory` section, in Markdown. */
export function insightsBenchReport(rows: readonly InsightsSizeRow[]): string {
  return [
    '### outcome_insights (exact insights over the whole history)',
    '',
    'Set-up: the same server and clients; each size on a new SQLite file, the outcomes written through the ' +
      "store's `lock_context_batch`, 100 a call, each context with its outcome (keys `activity:<type>` and " +
      '`customer:Cn`, and its facts): the activity attempts of the corpus above (validateOrder, chargePayment, ' +
      `shipOrder), event times spread evenly over ${INSIGHTS_WEEKS} weeks, three builds one after the other, ` +
      'one chargePayment attempt in 20 with a handling label ' +
      `(${rows.map((r) => `${r.size.toLocaleString('en')} in ${r.populateSeconds.toFixed(1)} s`).join(', ')}). ` +
      'A call asks for one key; the server reads its count rows (hour-of-week windows per handling label, ' +
      'with their recency-weighted sums kept as outcomes arrive; dimension values; duration buckets) and ' +
      'the project totals in one read transaction and computes `keyInsightsOfSums` over them.',
    '',
    '| outcomes | key | its outcomes | count rows read | SDK client p50 / p99 ms | lean client p50 / p99 ms | store directly p50 / p99 ms |',
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows.flatMap(({ size, keys }) =>
      keys.map(
        (k, i) =>
          `| ${i === 0 ? size.toLocaleString('en') : ''} | ${KEY_LABELS[k.kind]} | ${k.outcomes.toLocaleString('en')} | ` +
          `${k.rows.toLocaleString('en')} | ${fmt(k.sdk.p50)} / ${fmt(k.sdk.p99)} | ${fmt(k.lean.p50)} / ${fmt(k.lean.p99)} | ` +
          `${fmt(k.direct.p50)} / ${fmt(k.direct.p99)} |`,
      ),
    ),
    '',
    ...targetLines(rows),
  ].join('\n');
}
