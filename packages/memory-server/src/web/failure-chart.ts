import type { DayTotals } from '../store/outcome-browser';
import { html, type Html } from './html';
import { percent } from './page-layout';

const WIDTH = 720;
const HEIGHT = 180;
const PAD = { left: 40, right: 10, top: 10, bottom: 22 };
const DAY_MS = 86_400_000;

/** The failure rate of one kind per day, from the first day with outcomes to the last, days without none. */
function seriesOf(
  days: readonly DayTotals[],
  kind: DayTotals['kind'],
): { day: number; rate: number; runs: number }[] {
  return days
    .filter((d) => d.kind === kind && d.runs > 0)
    .map((d) => ({ day: d.day, rate: d.failures / d.runs, runs: d.runs }));
}

/**
 * The failure rate per day of activity attempts (solid, shaded) and workflow runs (dashed), drawn on
 * the server as an SVG: two lines need no charting library, the page stays a single request with no
 * client code, and each point carries its figures in a `<title>` (shown on hover).
 */
export function failureChart(days: readonly DayTotals[]): Html {
  const activity = seriesOf(days, 'activity');
  const workflow = seriesOf(days, 'workflow');
  const all = [...activity, ...workflow];
  if (all.length === 0) return html`<p class="muted">No outcomes yet.</p>`;
  const first = Math.min(...all.map((p) => p.day));
  const last = Math.max(...all.map((p) => p.day));
  const top = Math.max(0.05, ...all.map((p) => p.rate));
  const x = (day: number): number =>
    PAD.left +
    (last === first
      ? (WIDTH - PAD.left - PAD.right) / 2
      : ((day - first) / (last - first)) * (WIDTH - PAD.left - PAD.right));
  const y = (rate: number): number => PAD.top + (1 - rate / top) * (HEIGHT - PAD.top - PAD.bottom);
  const path = (points: readonly { day: number; rate: number }[]): string =>
    points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.day).toFixed(1)},${y(p.rate).toFixed(1)}`).join(' ');
  const area =
    activity.length > 0
      ? `${path(activity)} L${x(activity[activity.length - 1]?.day ?? first).toFixed(1)},${y(0)} L${x(activity[0]?.day ?? first).toFixed(1)},${y(0)} Z`
      : '';
  const date = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
  const points = activity.map(
    (p) =>
      html`<circle cx="${x(p.day).toFixed(1)}" cy="${y(p.rate).toFixed(1)}" r="6" fill="transparent"
        ><title>${date(p.day)}: ${percent(p.rate)} of ${p.runs} activity attempts failed</title></circle
      >`,
  );
  const ticks = [0, top / 2, top].map(
    (rate) =>
      html`<line
          class="axis"
          x1="${PAD.left}"
          x2="${WIDTH - PAD.right}"
          y1="${y(rate).toFixed(1)}"
          y2="${y(rate).toFixed(1)}"
        ></line>
        <text x="${PAD.left - 4}" y="${(y(rate) + 4).toFixed(1)}" text-anchor="end">${percent(rate)}</text>`,
  );
  return html`<div class="chart" id="failure-chart">
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="failure rate per day">
      ${ticks}
      <path class="area" d="${area}"></path>
      <path class="line activity" d="${path(activity)}"></path>
      <path class="line workflow" d="${path(workflow)}"></path>
      ${points}
      <text x="${PAD.left}" y="${HEIGHT - 4}">${date(first)}</text>
      <text x="${WIDTH - PAD.right}" y="${HEIGHT - 4}" text-anchor="end">${date(last)}</text>
    </svg>
    <div class="legend">
      <span class="swatch r7"></span>activity attempts <span class="swatch none"></span>workflow runs
      (dashed), failure rate per day (UTC) of event time
    </div>
  </div>`;
}
