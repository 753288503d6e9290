import { describeWindow, isTimeZone, WINDOWS_PER_WEEK, type KeyInsights } from '@temporal-stompy/insights';
import type { OutcomeCursor } from '../store/outcome-browser';
import { heatCells, heatMap, hoursOfWindow } from './heat-map';
import { html, type Html } from './html';
import { keyProfile } from './key-profile';
import { notedRuns, outcomeTable } from './outcome-list';
import { insightsOfKey, intParam, type PageContext } from './page-context';
import { ago, count, figureCard, linkIn, pageLayout, percent, type PageSection } from './page-layout';

/** Outcomes on one page of a listing. */
const OUTCOMES_PER_PAGE = 50;
/** Outcomes shown on a key's own page. */
const RECENT_OUTCOMES = 10;

/** The section of the navigation a key belongs to. */
function sectionOf(key: string): PageSection {
  if (key.startsWith('activity:')) return 'activities';
  if (key.startsWith('workflow:')) return 'workflows';
  return 'entities';
}

/** The time zone asked for (`tz`), when it is one this runtime knows; else the key's own. */
function zoneAsked(query: URLSearchParams, insights: KeyInsights): string {
  const asked = query.get('tz');
  return asked !== null && isTimeZone(asked) ? asked : insights.timeZone;
}

/** A form that switches the time zone of a page (the key's zone, UTC, the one shown, the browser's). */
function zoneSwitch(
  ctx: PageContext,
  action: string,
  hidden: Record<string, string>,
  zones: string[],
  shown: string,
): Html {
  const options = [...new Set(zones)].map(
    (z) => html`<option value="${z}" ${z === shown ? html`selected` : ''}>${z}</option>`,
  );
  const fields = Object.entries({
    ...hidden,
    ...(ctx.frame.project === ctx.frame.defaultProject ? {} : { project: ctx.frame.project }),
  });
  return html`<form class="toolbar" method="get" action="${action}">
    ${fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
    <label
      >Time zone
      <select name="tz" data-time-zones data-submit-on-change>
        ${options}
      </select></label
    >
    <noscript><button>Show</button></noscript>
  </form>`;
}

/**
 * A key's page (`/key?key=customer:C9`): its figures, its heat map by hour of the week in a chosen time
 * zone with the detected patterns and their reasons beside it, its profile across types, its issues,
 * the handling that worked, its builds, and its latest outcomes.
 */
export async function keyPage(ctx: PageContext, query: URLSearchParams): Promise<Html> {
  const key = query.get('key') ?? '';
  const insights = await insightsOfKey(ctx, key);
  const zone = zoneAsked(query, insights);
  const hours = zone === insights.timeZone ? [] : await ctx.store.outcomes.hours(ctx.frame.project, key);
  const cells = heatCells(insights, hours, zone);
  const patternWindows = new Set(zone === insights.timeZone ? insights.patterns.map((p) => p.window) : []);
  const recent = await ctx.store.outcomes.outcomes({
    project: ctx.frame.project,
    key,
    limit: RECENT_OUTCOMES,
  });
  const runs = await notedRuns(ctx, recent.outcomes);
  const windowLink = (window: number) => linkIn(ctx.frame, '/outcomes', { key, window, tz: zone });
  const patterns = insights.patterns.map(
    (p) =>
      html`<li data-window="${p.window}">
        <a href="${linkIn(ctx.frame, '/outcomes', { key, window: p.window, tz: insights.timeZone })}"
          >${p.label}</a
        >: ${p.reason} <span class="muted">(p = ${p.pValue.toPrecision(2)})</span>
      </li>`,
  );
  const duration = insights.durationMs;
  const last = insights.lastFailure;
  const cards = html`<div class="cards">
    ${figureCard('runs', count(insights.runs), 'outcomes')}
    ${figureCard('failures', count(insights.failures), 'failed')}
    ${figureCard('failure-rate', percent(insights.failureRate), 'failure rate (smoothed)')}
    ${figureCard('duration', duration ? `${count(duration.p50)} ms` : '-', `median duration (p95 ${duration ? `${count(duration.p95)} ms` : '-'})`)}
    ${figureCard('since-failure', last ? ago(Date.parse(last.at), ctx.now()) : '-', 'since its last failure')}
  </div>`;
  const content = html`${cards}
    <div class="map-and-patterns">
      <section id="heat-map-section">
        <h2>When it fails</h2>
        ${zoneSwitch(ctx, '/key', { key }, [insights.timeZone, 'UTC', zone], zone)}
        ${heatMap(cells, zone, patternWindows, windowLink)}
        <p class="muted">
          Default-path outcomes (no handling label) by hour of the week of their event time. Click a cell for
          its outcomes.
        </p>
      </section>
      <section id="patterns">
        <h2>Patterns</h2>
        ${
          patterns.length === 0
            ? html`<p class="muted">No hour of the week fails more than chance explains.</p>`
            : html`<ul class="reasons">
                ${patterns}
              </ul>`
        }
        ${zone !== insights.timeZone && patterns.length > 0 ? html`<p class="muted">Patterns are detected in the key's time zone, ${insights.timeZone}.</p>` : ''}
        ${insights.regression ? html`<p><span class="flag">regression</span> ${insights.regression.reason}</p>` : ''}
      </section>
    </div>
    ${keyProfile(ctx, insights)}
    <section id="recent">
      <h2>Latest outcomes</h2>
      ${outcomeTable(ctx, recent.outcomes, runs, zone)}
      <p>
        <a href="${linkIn(ctx.frame, '/outcomes', { key, tz: zone })}"
          >All ${count(insights.runs)} outcomes →</a
        >
      </p>
    </section>`;
  return pageLayout(ctx.frame, sectionOf(key), key, content);
}

/**
 * A key's outcomes (`/outcomes?key=...`), newest first, 50 a page; with `window` (and `tz`), only
 * those whose event time falls in that hour of the week: the outcomes behind a heat-map cell or a pattern.
 */
export async function outcomesPage(ctx: PageContext, query: URLSearchParams): Promise<Html> {
  const key = query.get('key') ?? '';
  const insights = await insightsOfKey(ctx, key);
  const zone = zoneAsked(query, insights);
  const window = intParam(query, 'window');
  const inWindow = window !== undefined && window < WINDOWS_PER_WEEK;
  const hours = inWindow
    ? hoursOfWindow(await ctx.store.outcomes.hours(ctx.frame.project, key), window, zone)
    : undefined;
  const after = cursorOf(query.get('after'));
  const page = await ctx.store.outcomes.outcomes({
    project: ctx.frame.project,
    key,
    hours,
    after,
    limit: OUTCOMES_PER_PAGE,
  });
  const runs = await notedRuns(ctx, page.outcomes);
  const cell = inWindow ? insightsCell(insights, window, zone) : undefined;
  const title = inWindow ? `${key} · ${describeWindow(window, zone)}` : `${key} · outcomes`;
  const next = page.next
    ? html`<a
        rel="next"
        href="${linkIn(ctx.frame, '/outcomes', { key, window: inWindow ? window : undefined, tz: zone, after: `${page.next.hour}.${page.next.id}` })}"
        >Older →</a
      >`
    : '';
  const content = html`<p><a href="${linkIn(ctx.frame, '/key', { key, tz: zone })}">← ${key}</a></p>
    ${cell ?? ''}
    ${inWindow ? html`<p class="muted">Every outcome in this hour of the week, handled ones included; the heat map counts the default path.</p>` : ''}
    <section>
      ${outcomeTable(ctx, page.outcomes, runs, zone)}
      <div class="pager">
        ${after ? html`<a href="${linkIn(ctx.frame, '/outcomes', { key, window: inWindow ? window : undefined, tz: zone })}">Newest</a>` : ''}${next}
      </div>
    </section>`;
  return pageLayout(ctx.frame, sectionOf(key), title, content);
}

/** The figures of one window as `outcome_insights` gives them, with the pattern's reason when it is one. */
function insightsCell(insights: KeyInsights, window: number, zone: string): Html | undefined {
  if (zone !== insights.timeZone) return undefined;
  const counted = insights.windows.find((w) => w.window === window);
  const pattern = insights.patterns.find((p) => p.window === window);
  if (counted === undefined) return undefined;
  return html`<p id="window-figures">
    ${count(counted.failures)} of ${count(counted.runs)} default-path outcomes failed
    (${percent(counted.failures / counted.runs)}).
    ${pattern ? html`<span class="flag">pattern</span> ${pattern.reason}` : ''}
  </p>`;
}

/** A page cursor from its `hour.id` form, or undefined. */
function cursorOf(text: string | null): OutcomeCursor | undefined {
  const match = text === null ? null : /^(-?\d{1,12})\.(\d{1,15})$/.exec(text);
  return match ? { hour: Number(match[1]), id: Number(match[2]) } : undefined;
}
