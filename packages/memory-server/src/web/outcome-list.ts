import type { StoredOutcome } from '../store/outcome-browser';
import { dataTable, html, type Html } from './html';
import type { PageContext } from './page-context';
import { instant, linkIn } from './page-layout';
import { notedRun, temporalRunUrl, type NotedRun } from './temporal-link';

/** The runs the notes of some outcomes name, by topic: one `recall_batch` read (it counts no access). */
export async function notedRuns(
  ctx: PageContext,
  outcomes: readonly StoredOutcome[],
): Promise<Map<string, NotedRun>> {
  const runs = new Map<string, NotedRun>();
  const topics = [...new Set(outcomes.map((o) => o.topic))];
  for (let from = 0; from < topics.length; from += 50) {
    const batch = await ctx.store.recallBatch({
      topics: topics.slice(from, from + 50),
      project: ctx.frame.project,
    });
    for (const entry of batch.results) {
      const run = entry.found && entry.content !== undefined ? notedRun(entry.content) : undefined;
      if (run) runs.set(entry.topic, run);
    }
  }
  return runs;
}

/**
 * A table of outcomes: event time (in `timeZone`), what ran, how it ended, build and handling, with
 * links to each outcome's page and to its run in the Temporal Web UI.
 */
export function outcomeTable(
  ctx: PageContext,
  outcomes: readonly StoredOutcome[],
  runs: ReadonlyMap<string, NotedRun>,
  timeZone: string,
): Html {
  if (outcomes.length === 0) return html`<p class="muted">No outcomes.</p>`;
  const rows = outcomes.map((o) => {
    const f = o.facts;
    const run = runs.get(o.topic);
    return html`<tr data-topic="${o.topic}">
      <td class="num">${instant(f.eventTimeMs, timeZone)}</td>
      <td>
        ${f.activityType ?? f.workflowType}
        <div class="muted">${f.kind}</div>
      </td>
      <td>
        ${
          f.failed
            ? html`<span class="bad">${f.issue ?? 'failed'}</span>
                <div class="muted">${f.message ?? ''}</div>`
            : html`<span class="good">ok</span>`
        }
      </td>
      <td>${f.version ?? ''}</td>
      <td>${f.handling || html`<span class="muted">default</span>`}</td>
      <td class="num">${f.durationMs} ms</td>
      <td>
        <a href="${linkIn(ctx.frame, '/topic', { topic: o.topic })}">note</a>
        ${run ? html` · <a class="temporal-link" href="${temporalRunUrl(ctx.temporalUiUrl, run)}" rel="noreferrer">run in Temporal</a>` : ''}
      </td>
    </tr>`;
  });
  return dataTable(
    ['Event time', 'Type', 'Result', 'Build', 'Handling', { numeric: 'Took' }, ''],
    rows,
    'outcomes',
  );
}
