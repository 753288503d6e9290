import { html, pageUrl, type Html } from './html';

/** The sections of the page, as the navigation names them. */
export type PageSection = 'overview' | 'activities' | 'workflows' | 'entities' | 'versions' | 'search';

/** What every page needs to draw its frame: the project it shows and the projects there are. */
export interface PageFrame {
  readonly project: string;
  readonly projects: readonly string[];
  readonly defaultProject: string;
}

/** A URL on the page, in the frame's project (left out when it is the default). */
export function linkIn(
  frame: PageFrame,
  path: string,
  params: Readonly<Record<string, string | number | undefined>> = {},
): string {
  return pageUrl(path, {
    ...params,
    project: frame.project === frame.defaultProject ? undefined : frame.project,
  });
}

const SECTIONS: readonly { section: PageSection; label: string; path: string; kind?: string }[] = [
  { section: 'overview', label: 'Overview', path: '/' },
  { section: 'activities', label: 'Activities', path: '/keys', kind: 'activity' },
  { section: 'workflows', label: 'Workflows', path: '/keys', kind: 'workflow' },
  { section: 'entities', label: 'Entities', path: '/keys', kind: 'entity' },
  { section: 'versions', label: 'Version health', path: '/versions' },
];

/**
 * A whole page: the header (navigation, project switch, search box), the title and the content.
 * Assets come from this server only; the script is optional (the time-zone switch works without it).
 */
export function pageLayout(frame: PageFrame, section: PageSection, title: string, content: Html): Html {
  const nav = SECTIONS.map(
    (s) =>
      html`<a href="${linkIn(frame, s.path, { kind: s.kind })}" class="${s.section === section ? 'here' : ''}"
        >${s.label}</a
      >`,
  );
  const projectSwitch =
    frame.projects.length > 1
      ? html`<form method="get" action="/">
          <select name="project" data-submit-on-change aria-label="project">
            ${frame.projects.map((p) => html`<option value="${p}" ${p === frame.project ? html`selected` : ''}>${p}</option>`)}</select
          ><noscript><button>Go</button></noscript>
        </form>`
      : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · temporal-stompy memory</title>
        <link rel="stylesheet" href="/assets/style.css" />
        <script src="/assets/page.js" defer></script>
      </head>
      <body>
        <header>
          <a class="brand" href="${linkIn(frame, '/')}">temporal-stompy memory</a>
          <nav>${nav}</nav>
          ${projectSwitch}
          <form method="get" action="/search" role="search">
            ${frame.project === frame.defaultProject ? '' : html`<input type="hidden" name="project" value="${frame.project}" />`}
            <input type="search" name="q" placeholder="Search notes" aria-label="Search notes" />
          </form>
        </header>
        <main>
          <h1>${title}</h1>
          ${content}
        </main>
      </body>
    </html>`;
}

/** A card with one figure (its element id `id`, for tests and links) and what it counts. */
export function figureCard(id: string, figure: string, label: string | Html): Html {
  return html`<div class="card">
    <div class="figure" id="${id}">${figure}</div>
    <div class="label">${label}</div>
  </div>`;
}

/** A number with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A rate as a percentage: one decimal under 10%, none above. */
export function percent(rate: number): string {
  const p = rate * 100;
  return `${p > 0 && p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** An instant as people read it in a time zone: `2026-11-26 15:04 UTC`. */
export function instant(epochMs: number, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(epochMs);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${timeZone}`;
}

/** How long ago an instant was, roughly: `42 s`, `5 min`, `3 h`, `2 d`. */
export function ago(epochMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - epochMs) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}
