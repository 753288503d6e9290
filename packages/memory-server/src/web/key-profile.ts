import type { KeyInsights, RegressionFlagged, RunCount } from '@temporal-stompy/insights';
import { dataTable, html, type Html } from './html';
import type { PageContext } from './page-context';
import { count, instant, linkIn, percent } from './page-layout';

/** A table of run counts by name (workflow or activity type, handling label), most runs first. */
function runCountTable(
  ctx: PageContext,
  caption: string,
  counts: Readonly<Record<string, RunCount>>,
  keyOf?: (name: string) => string,
): Html {
  const rows = Object.entries(counts).sort(([, a], [, b]) => b.runs - a.runs);
  if (rows.length === 0) return html``;
  return dataTable(
    [caption, { numeric: 'Runs' }, { numeric: 'Failed' }, { numeric: 'Failure rate' }],
    rows.map(
      ([name, c]) =>
        html`<tr>
          <td>
            ${keyOf ? html`<a href="${linkIn(ctx.frame, '/key', { key: keyOf(name) })}">${name}</a>` : name}
          </td>
          <td class="num">${count(c.runs)}</td>
          <td class="num">${count(c.failures)}</td>
          <td class="num">${percent(c.failureRate)}</td>
        </tr>`,
    ),
  );
}

/** What a key's insights say beside its heat map: its profile across types, issues, handling and builds. */
export function keyProfile(ctx: PageContext, insights: KeyInsights): Html {
  const issues = insights.commonIssues.map(
    (i) =>
      html`<tr>
        <td>${i.type}</td>
        <td class="num">${count(i.count)}</td>
      </tr>`,
  );
  return html`<div class="columns">
      <section id="profile">
        <h2>Profile</h2>
        ${runCountTable(ctx, 'Workflow type', insights.byType.workflow, (t) => `workflow:${t}`)}
        ${runCountTable(ctx, 'Activity type', insights.byType.activity, (t) => `activity:${t}`)}
      </section>
      <section id="issues">
        <h2>Issues</h2>
        ${
          issues.length === 0
            ? html`<p class="muted">No failures.</p>`
            : dataTable(['Error type', { numeric: 'Times' }], issues)
        }
        ${insights.lastFailure ? html`<p>Last failure ${insights.lastFailure.at}: <span class="bad">${insights.lastFailure.type}</span> ${insights.lastFailure.message}</p>` : ''}
      </section>
      <section id="handling">
        <h2>Handling that worked</h2>
        ${runCountTable(ctx, 'Handling', insights.handling)}
        <p class="muted">
          Runs per handling label the activity recorded (<code>recordHandling</code>); <em>default</em> is the
          code's usual path.
        </p>
      </section>
    </div>
    <section id="versions">
      <h2>Builds</h2>
      ${versionTable(insights)}
    </section>`;
}

/** A key's builds in the order they appeared, with the regression flag when one fails clearly more. */
export function versionTable(insights: KeyInsights, flaggedAt?: RegressionFlagged): Html {
  if (insights.versions.length === 0) return html`<p class="muted">No build ids recorded.</p>`;
  const flagged = insights.regression?.version;
  const rows = insights.versions.map(
    (v) =>
      html`<tr class="${v.version === flagged ? 'regressed' : ''}" data-version="${v.version}">
        <td>${v.version} ${v.version === flagged ? html`<span class="flag">regression</span>` : ''}</td>
        <td class="num">${v.firstSeen.slice(0, 16).replace('T', ' ')}</td>
        <td class="num">${count(v.runs)}</td>
        <td class="num">${count(v.failures)}</td>
        <td class="num">${percent(v.failureRate)} ${rateBar(v.failureRate)}</td>
      </tr>`,
  );
  const regression = insights.regression;
  return html`${dataTable(
    [
      'Build',
      { numeric: 'First seen (UTC)' },
      { numeric: 'Runs' },
      { numeric: 'Failed' },
      { numeric: 'Failure rate' },
    ],
    rows,
  )}
  ${regression ? html`<p class="regression-reason"><span class="flag">regression</span> ${regression.reason}${flaggedAt === undefined ? '' : html` · <span class="flagged-at">first flagged ${instant(flaggedAt.atMs)}, after ${count(flaggedAt.runs)} runs of it</span>`}</p>` : ''}`;
}

/** A small bar as long as a rate (an SVG attribute, so the page needs no inline style). */
export function rateBar(rate: number): Html {
  const width = Math.max(1, Math.round(Math.min(1, rate) * 60));
  return html`<svg class="bar" width="60" height="8" aria-hidden="true">
    <rect width="${width}" height="8"></rect>
  </svg>`;
}
