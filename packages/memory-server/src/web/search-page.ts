import { html, type Html } from './html';
import type { PageContext } from './page-context';
import { linkIn, pageLayout } from './page-layout';

/** Results on the search page. */
const RESULTS = 50;

/**
 * Search over the notes (`/search?q=...&tags=...`): the store's `context_search` (full-text relevance
 * blended with recency, over the latest version of each topic), each hit linked to its note's page.
 */
export async function searchPage(ctx: PageContext, query: URLSearchParams): Promise<Html> {
  const q = query.get('q') ?? '';
  const tags = query.get('tags') ?? '';
  const asked = q.trim() !== '' || tags.trim() !== '';
  const result = asked
    ? await ctx.store.search({
        query: q,
        tags: tags || undefined,
        limit: RESULTS,
        project: ctx.frame.project,
      })
    : undefined;
  const hits = (result?.results ?? []).map(
    (hit) =>
      html`<li class="hit" data-topic="${hit.topic}">
        <a href="${linkIn(ctx.frame, '/topic', { topic: hit.topic })}">${hit.topic}</a>
        <span class="muted">v${hit.version} · ${hit.metadata.created_at}</span>
        <div>${hit.metadata.tags.map((t) => html`<span class="tag">${t}</span>`)}</div>
        <pre class="note">${hit.preview}</pre>
      </li>`,
  );
  const form = html`<form class="toolbar" method="get" action="/search">
    ${ctx.frame.project === ctx.frame.defaultProject ? '' : html`<input type="hidden" name="project" value="${ctx.frame.project}" />`}
    <label>Words <input type="search" name="q" value="${q}" /></label>
    <label
      >Tags <input type="text" name="tags" value="${tags}" placeholder="activity:chargePayment,issue"
    /></label>
    <button>Search</button>
  </form>`;
  const summary = result
    ? html`<p id="search-summary">
        ${result.total_found} found (${result.search_mode}), showing ${result.results.length}.
      </p>`
    : html`<p class="muted">Words match notes, topics and tags; tags must all be present.</p>`;
  const content = html`<section>
    ${form}${summary}${
      hits.length > 0
        ? html`<ul class="reasons hits">
            ${hits}
          </ul>`
        : ''
    }
  </section>`;
  return pageLayout(ctx.frame, 'search', q ? `Search: ${q}` : 'Search', content);
}
