import type { KeyKind } from '../store/outcome-browser';
import { dataTable, html, type Html } from './html';
import { rateBar } from './key-profile';
import { insightsOf, intParam, type PageContext } from './page-context';
import { count, linkIn, pageLayout, percent, type PageSection } from './page-layout';

/** Keys on one page of a list. */
const KEYS_PER_PAGE = 50;

const KINDS: Readonly<Record<KeyKind, { section: PageSection; title: string; what: string }>> = {
  activity: { section: 'activities', title: 'Activity types', what: 'attempts' },
  workflow: { section: 'workflows', title: 'Workflow types', what: 'runs' },
  entity: { section: 'entities', title: 'Entities', what: 'outcomes' },
};

/**
 * The keys of one kind (`/keys?kind=entity`), most failures first, 50 a page: each key's outcomes,
 * failures and failure rate as `outcome_insights` gives them, with its patterns and regression flags.
 */
export async function keysPage(ctx: PageContext, query: URLSearchParams): Promise<Html> {
  const asked = query.get('kind');
  const kind: KeyKind = asked === 'workflow' || asked === 'entity' ? asked : 'activity';
  const page = intParam(query, 'page') ?? 0;
  const listed = await ctx.store.outcomes.keys(ctx.frame.project, kind, KEYS_PER_PAGE, page * KEYS_PER_PAGE);
  const { insights } = await insightsOf(
    ctx,
    listed.keys.map((k) => k.key),
  );
  const rows = insights.map(
    (i) =>
      html`<tr data-key="${i.key}">
        <td><a href="${linkIn(ctx.frame, '/key', { key: i.key })}">${i.key}</a></td>
        <td class="num">${count(i.runs)}</td>
        <td class="num">${count(i.failures)}</td>
        <td class="num">${percent(i.failureRate)} ${rateBar(i.failureRate)}</td>
        <td>
          ${i.patterns.length > 0 ? html`<span class="flag">${i.patterns.length} time pattern${i.patterns.length > 1 ? 's' : ''}</span>` : ''}
          ${i.regression ? html`<span class="flag">regression</span>` : ''}
        </td>
      </tr>`,
  );
  const { title, what, section } = KINDS[kind];
  const pages = Math.ceil(listed.total / KEYS_PER_PAGE);
  const pager = html`<div class="pager">
    ${page > 0 ? html`<a rel="prev" href="${linkIn(ctx.frame, '/keys', { kind, page: page - 1 })}">← Previous</a>` : ''}
    <span class="muted">page ${page + 1} of ${Math.max(1, pages)} (${count(listed.total)} keys)</span>
    ${page + 1 < pages ? html`<a rel="next" href="${linkIn(ctx.frame, '/keys', { kind, page: page + 1 })}">Next →</a>` : ''}
  </div>`;
  const content = html`<section>
    ${
      rows.length === 0
        ? html`<p class="muted">None yet.</p>`
        : dataTable(
            ['Key', { numeric: what }, { numeric: 'Failed' }, { numeric: 'Failure rate' }, 'Flags'],
            rows,
          )
    }
    ${pager}
  </section>`;
  return pageLayout(ctx.frame, section, title, content);
}
