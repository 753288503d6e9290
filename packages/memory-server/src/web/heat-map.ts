import { describeWindow, hourOfWeek, WINDOWS_PER_WEEK, type KeyInsights } from '@temporal-stompy/insights';
import type { HourTotals } from '../store/outcome-browser';
import { html, type Html } from './html';
import { percent } from './page-layout';

/** Default-path runs and failures of one hour-of-week window. */
export interface HeatCell {
  readonly window: number;
  readonly runs: number;
  readonly failures: number;
}

const HOUR_MS = 3_600_000;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * The 168 cells of a key in a time zone. In the key's own zone they are the insights' windows, the
 * numbers `outcome_insights` returns; in another zone, its hours of event time summed into that zone's
 * windows (daylight saving time included).
 */
export function heatCells(insights: KeyInsights, hours: readonly HourTotals[], timeZone: string): HeatCell[] {
  const cells = Array.from({ length: WINDOWS_PER_WEEK }, (_, window) => ({ window, runs: 0, failures: 0 }));
  if (timeZone === insights.timeZone) {
    for (const w of insights.windows) {
      const cell = cells[w.window];
      if (cell) Object.assign(cell, { runs: w.runs, failures: w.failures });
    }
    return cells;
  }
  for (const h of hours) {
    const cell = cells[hourOfWeek(h.hour * HOUR_MS, timeZone)];
    if (cell) {
      cell.runs += h.runs;
      cell.failures += h.failures;
    }
  }
  return cells;
}

/** The hours of event time that fall in a window of a time zone: the outcomes behind a cell. */
export function hoursOfWindow(hours: readonly HourTotals[], window: number, timeZone: string): number[] {
  return hours.filter((h) => hourOfWeek(h.hour * HOUR_MS, timeZone) === window).map((h) => h.hour);
}

/** The colour class of a failure rate: `r0` (none failed) to `r9` (nearly all). */
function rateClass(runs: number, failures: number): string {
  if (runs === 0) return 'none';
  const rate = failures / runs;
  if (failures === 0) return 'r0';
  const steps = [0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9];
  const step = steps.findIndex((limit) => rate <= limit);
  return `r${step === -1 ? 9 : step + 1}`;
}

/**
 * A 7 x 24 grid of cells coloured by failure rate, each with its sample on hover (`title`) and in
 * `data-` attributes, the pattern windows outlined, and each cell with outcomes a link to them.
 */
export function heatMap(
  cells: readonly HeatCell[],
  timeZone: string,
  patternWindows: ReadonlySet<number>,
  cellLink: (window: number) => string,
): Html {
  const header = [
    html`<span></span>`,
    ...Array.from({ length: 24 }, (_, h) => html`<span class="hour">${h}</span>`),
  ];
  const rows = DAYS.map((day, d) => [
    html`<span class="day">${day}</span>`,
    ...Array.from({ length: 24 }, (_, h) => {
      const cell = cells[d * 24 + h] ?? { window: d * 24 + h, runs: 0, failures: 0 };
      const label =
        cell.runs === 0
          ? `${describeWindow(cell.window, timeZone)}: no outcomes`
          : `${describeWindow(cell.window, timeZone)}: ${cell.failures} of ${cell.runs} failed (${percent(cell.failures / cell.runs)})`;
      const classes = `cell ${rateClass(cell.runs, cell.failures)}${patternWindows.has(cell.window) ? ' pattern' : ''}`;
      const data = html`data-window="${cell.window}" data-runs="${cell.runs}" data-failures="${cell.failures}"`;
      return cell.runs === 0
        ? html`<span class="${classes}" ${data} title="${label}"></span>`
        : html`<a
            class="${classes}"
            ${data}
            title="${label}"
            aria-label="${label}"
            href="${cellLink(cell.window)}"
          ></a>`;
    }),
  ]);
  const legend = [
    html`<span>no outcomes</span><span class="swatch none heat-none"></span>`,
    html`<span>0%</span>`,
    ...['r0', 'r1', 'r3', 'r5', 'r7', 'r9'].map((c) => html`<span class="swatch ${c}"></span>`),
    html`<span>100% failed</span><span class="swatch pattern-swatch"></span
      ><span>outlined: a detected pattern</span>`,
  ];
  return html`<div
      class="heat-map"
      role="grid"
      aria-label="failure rate by hour of the week, ${timeZone}"
      data-time-zone="${timeZone}"
    >
      ${header}${rows}
    </div>
    <div class="legend">${legend}</div>`;
}
