// The page's only assets, served by the memory server itself (no CDN: users run it offline and behind
// firewalls). The style works from a phone's width up; the script only fills the time-zone switch with
// the browser's own zone and submits a switch on change: every page works without it.

/** The style sheet, at `/assets/style.css`. */
export const STYLE_CSS = `
:root { --fg: #1c2430; --muted: #5b6675; --line: #d9dee5; --bg: #f6f7f9; --card: #fff; --accent: #3d5afe;
  --bad: #c62828; --good: #2e7d32; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font-size: 15px; line-height: 1.45; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header { background: #101828; color: #fff; padding: 0.6rem 1rem; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; align-items: center; }
header .brand { font-weight: 700; color: #fff; margin-right: 0.5rem; }
header nav { display: flex; flex-wrap: wrap; gap: 0.2rem 1rem; }
header nav a { color: #c7d2fe; } header nav a.here { color: #fff; font-weight: 600; }
header form { margin-left: auto; display: flex; gap: 0.4rem; }
header input[type=search] { min-width: 10rem; padding: 0.3rem 0.5rem; border-radius: 4px; border: 0; }
main { max-width: 76rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.45rem; margin: 0.4rem 0 0.8rem; word-break: break-word; }
h2 { font-size: 1.1rem; margin: 0 0 0.6rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 0.8rem; margin-bottom: 1rem; }
.card, section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.8rem 1rem; }
section { margin-bottom: 1rem; overflow-x: auto; }
.card .figure { font-size: 1.5rem; font-weight: 650; } .card .label { color: var(--muted); font-size: 0.85rem; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
.columns > section { margin-bottom: 0; }
.columns { margin-bottom: 1rem; }
.map-and-patterns { display: grid; grid-template-columns: minmax(0, 3fr) minmax(16rem, 1fr); gap: 1rem; margin-bottom: 1rem; }
.map-and-patterns > section { margin-bottom: 0; }
@media (max-width: 60rem) { .map-and-patterns { grid-template-columns: minmax(0, 1fr); } }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 0.85rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.muted { color: var(--muted); } .bad { color: var(--bad); } .good { color: var(--good); }
.flag { display: inline-block; background: #fde7e9; color: var(--bad); border-radius: 4px; padding: 0 0.4rem; font-size: 0.85rem; }
.reasons li { margin-bottom: 0.3rem; }
.heat-map { display: grid; grid-template-columns: 2.2rem repeat(24, minmax(1.1rem, 1fr)); gap: 2px; min-width: 30rem; }
.heat-map .hour, .heat-map .day { font-size: 0.7rem; color: var(--muted); text-align: center; align-self: center; }
.heat-map .day { text-align: left; }
.heat-map .cell { aspect-ratio: 1 / 1; border-radius: 3px; position: relative; }
.r0 { background: #e8f3ea; } .r1 { background: #fff3e0; } .r2 { background: #ffe0b2; }
.r3 { background: #ffcc80; } .r4 { background: #ffab91; } .r5 { background: #ff8a65; }
.r6 { background: #f4511e; } .r7 { background: #e53935; } .r8 { background: #c62828; }
.r9 { background: #8e0000; } .none { background: #eef0f3; }
.pattern-swatch { outline: 2px solid #111; outline-offset: -1px; background: #fff; }
.heat-map .cell.pattern { outline: 2px solid #111; outline-offset: -1px; }
.heat-map a.cell:hover { outline: 2px solid var(--accent); }
.legend { display: flex; align-items: center; gap: 0.4rem; font-size: 0.8rem; color: var(--muted); margin-top: 0.5rem; flex-wrap: wrap; }
.legend .swatch { width: 1rem; height: 1rem; border-radius: 3px; display: inline-block; }
.toolbar { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; margin-bottom: 0.6rem; }
select, input, button { font: inherit; }
button { padding: 0.3rem 0.8rem; border-radius: 4px; border: 1px solid var(--line); background: #fff; cursor: pointer; }
.bar { vertical-align: middle; background: #eef0f3; border-radius: 2px; } .bar rect { fill: var(--bad); }
pre.note { white-space: pre-wrap; word-break: break-word; background: #f1f3f6; padding: 0.8rem; border-radius: 6px; margin: 0; }
.chart svg { width: 100%; height: auto; display: block; }
.chart .area { fill: rgba(198, 40, 40, 0.12); } .chart .line { fill: none; stroke: var(--bad); stroke-width: 2; }
.chart .line.workflow { stroke: #37474f; stroke-dasharray: 4 3; } .chart .axis { stroke: var(--line); }
.chart text { font-size: 11px; fill: var(--muted); }
.pager { display: flex; gap: 1rem; margin-top: 0.6rem; }
.tag { display: inline-block; background: #eef1ff; border-radius: 4px; padding: 0 0.35rem; margin: 0 0.2rem 0.2rem 0; font-size: 0.85rem; }
@media (max-width: 40rem) { main { padding: 0.6rem; } header form { margin-left: 0; width: 100%; } header input[type=search] { flex: 1; } }
`;

/** The script, at `/assets/page.js`: the browser's time zone in the switch, and a switch that applies itself. */
export const PAGE_JS = `
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = undefined; }
  document.querySelectorAll('select[data-time-zones]').forEach(function (select) {
    if (zone && !Array.prototype.some.call(select.options, function (o) { return o.value === zone; })) {
      var option = document.createElement('option');
      option.value = zone; option.textContent = zone + ' (this browser)';
      select.appendChild(option);
    }
  });
  document.querySelectorAll('select[data-submit-on-change]').forEach(function (select) {
    select.addEventListener('change', function () { select.form.submit(); });
  });
})();
`;
