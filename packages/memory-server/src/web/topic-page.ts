import { html, type Html } from './html';
import type { PageContext } from './page-context';
import { instant, linkIn, pageLayout } from './page-layout';
import { notedRun, temporalRunUrl } from './temporal-link';

/**
 * One note's page (`/topic?topic=...`): its latest content, tags, priority and live versions; for an
 * outcome, its facts, the keys it is counted under (each a link) and its run in the Temporal Web UI.
 * Read through `recall_batch`, which counts no access: looking at the page changes nothing.
 */
export async function topicPage(ctx: PageContext, query: URLSearchParams): Promise<Html> {
  const topic = query.get('topic') ?? '';
  const project = ctx.frame.project;
  const batch = await ctx.store.recallBatch({ topics: [topic], project });
  const entry = batch.results[0];
  if (entry === undefined || !entry.found) {
    return pageLayout(
      ctx.frame,
      'search',
      topic,
      html`<section><p>No live note under this topic.</p></section>`,
    );
  }
  const outcome = await ctx.store.outcomes.outcome(project, topic);
  const versions = await ctx.store.outcomes.versions(project, topic);
  const note = entry.content ?? entry.preview ?? '';
  const run = notedRun(note);
  const facts = outcome?.facts;
  const factRows = facts
    ? [
        ['Kind', facts.kind],
        ['Workflow type', facts.workflowType],
        ['Activity type', facts.activityType],
        ['Result', facts.failed ? `failed: ${facts.issue ?? 'failed'}` : 'ok'],
        ['Message', facts.message],
        ['Event time', `${instant(facts.eventTimeMs, facts.timeZone)} (hour-of-week window ${facts.window})`],
        ['Duration', `${facts.durationMs} ms`],
        ['Build', facts.version],
        ['Handling', facts.handling || 'default'],
      ].filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
    : [];
  const content = html` ${
      run
        ? html`<p>
            <a class="temporal-link" href="${temporalRunUrl(ctx.temporalUiUrl, run)}" rel="noreferrer"
              >Open the run in the Temporal Web UI →</a
            >
            <span class="muted">${run.namespace} / ${run.workflowId} / ${run.runId}</span>
          </p>`
        : ''
    }
    <div class="columns">
      <section id="note">
        <h2>Note</h2>
        <pre class="note">${note}</pre>
        ${entry.truncated ? html`<p class="muted">Cut to fit one reply.</p>` : ''}
      </section>
      <section id="about">
        <h2>About</h2>
        <table>
          <tr>
            <th>Tags</th>
            <td>${entry.tags.map((t) => html`<span class="tag">${t}</span>`)}</td>
          </tr>
          <tr>
            <th>Priority</th>
            <td>${entry.priority}</td>
          </tr>
          <tr>
            <th>Versions</th>
            <td id="versions">
              ${versions.map((v) => html`<div>${v.version} <span class="muted">${instant(v.storedAtMs)}</span></div>`)}
            </td>
          </tr>
          ${factRows.map(
            ([name, value]) =>
              html`<tr>
                <th>${name}</th>
                <td>${value}</td>
              </tr>`,
          )}
          ${
            outcome
              ? html`<tr>
                  <th>Counted under</th>
                  <td>
                    ${outcome.keys.map((k) => html`<div><a href="${linkIn(ctx.frame, '/key', { key: k })}">${k}</a></div>`)}
                  </td>
                </tr>`
              : ''
          }
        </table>
      </section>
    </div>`;
  return pageLayout(ctx.frame, 'search', topic, content);
}
