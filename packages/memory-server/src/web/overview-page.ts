import type { BaseCounts, KeyInsights } from '@temporal-stompy/insights';
import { MAX_BROWSE_LIMIT } from '../store/outcome-browser';
import { failureChart } from './failure-chart';
import { dataTable, html, type Html } from './html';
import { rateBar } from './key-profile';
import { insightsOf, type PageContext } from './page-context';
import { ago, count, figureCard, instant, linkIn, pageLayout, percent } from './page-layout';

/** Outcomes whose storage lag is summarised. */
const FRESHNESS_SAMPLE = 100;
/** Rows in each "top" table. */
const TOP = 10;

/** The type keys (activity and workflow types) of a project: few, so all of them, up to 200 of each. */
async function typeInsights(
  ctx: PageContext,
): Promise<{ base: BaseCounts; activities: KeyInsights[]; workflows: KeyInsights[]; entities: number }> {
  const project = ctx.frame.project;
  const activityKeys = await ctx.store.outcomes.keys(project, 'activity', MAX_BROWSE_LIMIT);
  const workflowKeys = await ctx.store.outcomes.keys(project, 'workflow', MAX_BROWSE_LIMIT);
  const entities = (await ctx.store.outcomes.keys(project, 'entity', 1)).total;
  const { base, insights } = await insightsOf(
    ctx,
    [...activityKeys.keys, ...workflowKeys.keys].map((k) => k.key),
  );
  return {
    base,
    activities: insights.slice(0, activityKeys.keys.length),
    workflows: insights.slice(activityKeys.keys.length),
    entities,
  };
}

/** The median of some numbers (undefined for none). */
function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? undefined : sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The overview (`/`): outcomes recorded, the failure rate per day, the activity types and issues that
 * fail most, the regressions and patterns detected, and freshness (the latest outcome stored, and how
 * long after its event time outcomes arrive). Every figure is `outcome_insights`' for its key.
 */
export async function overviewPage(ctx: PageContext): Promise<Html> {
  const project = ctx.frame.project;
  // Every outcome has one type key: with the type keys' insights comes the project's base.
  const { base, activities, workflows, entities } = await typeInsights(ctx);
  const days = await ctx.store.outcomes.days(project);
  const newest = await ctx.store.outcomes.newest(project, FRESHNESS_SAMPLE);
  const latest = newest[0];
  const lag = median(
    newest.flatMap((o) => (o.storedAtMs === undefined ? [] : [o.storedAtMs - o.facts.eventTimeMs])),
  );
  const keyLink = (key: string) => linkIn(ctx.frame, '/key', { key });
  const types = [...activities, ...workflows];
  const regressions = types.filter((i) => i.regression !== undefined);
  const patterns = types.flatMap((i) => i.patterns.map((p) => ({ key: i.key, pattern: p })));
  const topActivities = [...activities]
    .sort((a, b) => b.failures - a.failures || b.runs - a.runs)
    .slice(0, TOP);
  const issues = activities
    .flatMap((i) => i.commonIssues.map((issue) => ({ key: i.key, issue })))
    .sort((a, b) => b.issue.count - a.issue.count)
    .slice(0, TOP);

  const stored = latest?.storedAtMs;
  const cards = html`<div class="cards">
    ${figureCard('outcomes-recorded', count(base.runs), 'outcomes recorded')}
    ${figureCard('overall-failure-rate', base.runs === 0 ? '-' : percent(base.failures / base.runs), `failed (${count(base.failures)})`)}
    ${figureCard('types-and-entities', `${count(activities.length)} / ${count(entities)}`, 'activity types / entities')}
    ${figureCard('regressions-flagged', count(regressions.length), 'regressions flagged')}
    ${figureCard('last-outcome', stored === undefined ? '-' : `${ago(stored, ctx.now())} ago`, html`last outcome stored${stored === undefined ? '' : html`<br />${instant(stored)}`}`)}
    ${figureCard('delivery-lag', lag === undefined ? '-' : ago(ctx.now() - lag, ctx.now()), `stored after its event time (median of the last ${count(newest.length)})`)}
  </div>`;
  const activityRows = topActivities.map(
    (i) =>
      html`<tr>
        <td><a href="${keyLink(i.key)}">${i.key.slice('activity:'.length)}</a></td>
        <td class="num">${count(i.runs)}</td>
        <td class="num">${count(i.failures)}</td>
        <td class="num">${percent(i.failureRate)} ${rateBar(i.failureRate)}</td>
      </tr>`,
  );
  const issueRows = issues.map(
    ({ key, issue }) =>
      html`<tr>
        <td>${issue.type}</td>
        <td><a href="${keyLink(key)}">${key.slice('activity:'.length)}</a></td>
        <td class="num">${count(issue.count)}</td>
      </tr>`,
  );
  const content = html`${cards}
    <section>
      <h2>Failure rate over time</h2>
      ${failureChart(days)}
    </section>
    <div class="columns">
      <section id="top-activities">
        <h2>Activity types that fail most</h2>
        ${
          activityRows.length === 0
            ? html`<p class="muted">No activity outcomes yet.</p>`
            : dataTable(
                ['Activity', { numeric: 'Attempts' }, { numeric: 'Failed' }, { numeric: 'Failure rate' }],
                activityRows,
              )
        }
        <p><a href="${linkIn(ctx.frame, '/keys', { kind: 'activity' })}">All activity types →</a></p>
      </section>
      <section id="top-issues">
        <h2>Most frequent issues</h2>
        ${
          issueRows.length === 0
            ? html`<p class="muted">No failures yet.</p>`
            : dataTable(['Error type', 'Activity', { numeric: 'Times' }], issueRows)
        }
      </section>
    </div>
    <div class="columns">
      <section id="regressions">
        <h2>Regressions</h2>
        ${
          regressions.length === 0
            ? html`<p class="muted">No build fails clearly more than the one before it.</p>`
            : html`<ul class="reasons">
                ${regressions.map((i) => html`<li><a href="${keyLink(i.key)}">${i.key}</a>: ${i.regression?.reason}</li>`)}
              </ul>`
        }
        <p><a href="${linkIn(ctx.frame, '/versions')}">Version health →</a></p>
      </section>
      <section id="patterns">
        <h2>Time patterns</h2>
        ${
          patterns.length === 0
            ? html`<p class="muted">No hour of the week fails more than chance explains.</p>`
            : html`<ul class="reasons">
                ${patterns.map(({ key, pattern }) => html`<li><a href="${linkIn(ctx.frame, '/outcomes', { key, window: pattern.window })}">${pattern.label}</a>: ${pattern.reason}</li>`)}
              </ul>`
        }
      </section>
    </div>`;
  return pageLayout(
    ctx.frame,
    'overview',
    project === ctx.frame.defaultProject ? 'What the memory learned' : `What the memory learned · ${project}`,
    content,
  );
}
