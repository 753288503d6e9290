import type { Logger } from 'pino';
import { StoreError } from '../store/errors';
import type { MemoryStore } from '../store/memory-store';
import { validateProject } from '../store/validation';
import { html, type Html } from './html';
import { keyPage, outcomesPage } from './key-page';
import { keysPage } from './keys-page';
import { overviewPage } from './overview-page';
import { PAGE_JS, STYLE_CSS } from './page-assets';
import type { PageAnswer, PageContext, PageRequest } from './page-context';
import { pageLayout, type PageFrame } from './page-layout';
import { searchPage } from './search-page';
import { topicPage } from './topic-page';
import { versionsPage } from './versions-page';

export type { PageAnswer, PageRequest } from './page-context';

/** The Temporal Web UI of `temporal server start-dev`. */
export const DEFAULT_TEMPORAL_UI_URL = 'http://localhost:8233';

/** What the page is drawn from. */
export interface WebPageOptions {
  readonly store: MemoryStore;
  readonly logger: Logger;
  /** The Temporal Web UI's address, for links to runs; default `http://localhost:8233`. */
  readonly temporalUiUrl?: string;
  readonly now?: () => number;
}

/** The read-only web page a memory server serves at `/`: what the memory learned. */
export interface WebPage {
  /** Whether a path is the page's (`/`, its views, its assets, `/login`). */
  owns(path: string): boolean;
  /** Whether a path is served to anyone (the assets: no data in them). */
  isPublic(path: string): boolean;
  /** Answers a GET of one of its paths (never rejects: a failure is a 500 page, logged). */
  answer(request: PageRequest): Promise<PageAnswer>;
}

type View = (ctx: PageContext, query: URLSearchParams) => Promise<Html>;

const VIEWS: Readonly<Record<string, View>> = {
  '/': (ctx) => overviewPage(ctx),
  '/keys': keysPage,
  '/key': keyPage,
  '/outcomes': outcomesPage,
  '/versions': (ctx) => versionsPage(ctx),
  '/search': searchPage,
  '/topic': topicPage,
};

const ASSETS: Readonly<Record<string, { contentType: string; body: string }>> = {
  '/assets/style.css': { contentType: 'text/css; charset=utf-8', body: STYLE_CSS },
  '/assets/page.js': { contentType: 'text/javascript; charset=utf-8', body: PAGE_JS },
};

/** Headers of every page: nothing loads from elsewhere, nothing runs inline, no framing, no caching of data. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** Creates the page over a store. */
export function createWebPage(options: WebPageOptions): WebPage {
  const logger = options.logger.child({ component: 'web-page' });
  const temporalUiUrl = options.temporalUiUrl ?? DEFAULT_TEMPORAL_UI_URL;
  const now = options.now ?? Date.now;
  const { store } = options;

  const frameOf = async (query: URLSearchParams): Promise<PageFrame> => {
    const defaultProject = store.settings.defaultProject;
    const project = validateProject(query.get('project') ?? undefined, defaultProject);
    const projects = new Set([...(await store.outcomes.projects()), defaultProject, project]);
    return { project, projects: [...projects].sort(), defaultProject };
  };
  const htmlAnswer = (status: number, page: Html): PageAnswer => ({
    status,
    contentType: 'text/html; charset=utf-8',
    body: page.text,
    headers: PAGE_HEADERS,
  });

  return {
    owns: (path) => path in VIEWS || path in ASSETS || path === '/login',
    isPublic: (path) => path in ASSETS,
    async answer({ path, query }) {
      const asset = ASSETS[path];
      if (asset)
        return { status: 200, ...asset, headers: { ...PAGE_HEADERS, 'Cache-Control': 'max-age=3600' } };
      const view = VIEWS[path];
      if (view === undefined)
        return htmlAnswer(
          404,
          html`<!doctype html><title>Not found</title>
            <p>No such page.</p>`,
        );
      const started = performance.now();
      try {
        const frame = await frameOf(query);
        const page = await view({ store, frame, temporalUiUrl, now, logger }, query);
        logger.debug({ path, ms: Math.round(performance.now() - started) }, 'web page: answered');
        return htmlAnswer(200, page);
      } catch (error) {
        if (error instanceof StoreError) {
          const frame: PageFrame = {
            project: store.settings.defaultProject,
            projects: [],
            defaultProject: store.settings.defaultProject,
          };
          const status = error.code === 'database_unavailable' ? 503 : 400;
          return htmlAnswer(
            status,
            pageLayout(
              frame,
              'overview',
              'Cannot show this page',
              html`<section><p class="bad" id="refusal">${error.message}</p></section>`,
            ),
          );
        }
        logger.error({ err: error, path }, 'web page: failed');
        return htmlAnswer(
          500,
          html`<!doctype html><title>Error</title>
            <p>The page failed; the server logged why.</p>`,
        );
      }
    },
  };
}
