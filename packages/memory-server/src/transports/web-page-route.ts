import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { PAGE_HEADERS, type WebPage } from '../web/web-page';
import { hasValidSession, safeNext, sessionCookie, signInPage } from '../web/page-session';
import { hasValidBearerToken, secretsEqual } from './bearer-auth';
import type { RateLimitedLog } from './rate-limited-log';
import { BodyError, readTextBody } from './read-json-body';

/** Largest sign-in form accepted. */
const MAX_FORM_BYTES = 4096;

/** What the page's route needs from the HTTP server. */
export interface WebPageRoute {
  readonly web: WebPage;
  /** The server's bearer tokens; none: the page is open (a loopback-only server). */
  readonly tokens: readonly string[];
  /** Where refused sign-ins are logged (rate-limited, never the token). */
  readonly authLog: RateLimitedLog;
  readonly logger: Logger;
  readonly bodyTimeoutMs: number;
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Readonly<Record<string, string>> = PAGE_HEADERS,
): void {
  res.writeHead(status, { ...headers, 'Content-Type': contentType });
  res.end(body);
}

/**
 * Answers one request of the web page: its assets to anyone; `/login` (the sign-in form, and its
 * POST, which sets the session cookie for a right token); every other page with the same auth as MCP
 * (a bearer token, or the session cookie), else 401 with the sign-in form. Only GET and HEAD read pages.
 */
export async function answerWebPage(
  route: WebPageRoute,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const { web, tokens } = route;
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/login') return answerSignIn(route, req, res, url);
  const open = tokens.length === 0 || web.isPublic(path);
  if (!open && !hasValidBearerToken(req, tokens) && !hasValidSession(req, tokens)) {
    const remoteAddress = req.socket.remoteAddress ?? 'unknown';
    route.authLog.warn(
      `address:${remoteAddress}`,
      { remoteAddress, path, reason: 'no token or session' },
      'memory server: web page refused (401), not signed in',
    );
    return send(res, 401, 'text/html; charset=utf-8', signInPage(`${path}${url.search}`, false).text, {
      ...PAGE_HEADERS,
      'WWW-Authenticate': 'Bearer',
    });
  }
  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'the web page is read-only: use GET');
  }
  const answer = await web.answer({ path, query: url.searchParams });
  send(res, answer.status, answer.contentType, method === 'HEAD' ? '' : answer.body, answer.headers);
}

async function answerSignIn(
  route: WebPageRoute,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const next = safeNext(url.searchParams.get('next'));
  if (req.method !== 'POST') {
    // Without tokens there is nothing to sign in to.
    if (route.tokens.length === 0) return redirect(res, next);
    return send(res, 200, 'text/html; charset=utf-8', signInPage(next, false).text);
  }
  let form: URLSearchParams;
  try {
    form = new URLSearchParams(await readTextBody(req, MAX_FORM_BYTES, route.bodyTimeoutMs));
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    route.logger.warn({ status: error.status, reason: error.message }, 'memory server: sign-in form refused');
    return send(res, error.status, 'text/plain; charset=utf-8', error.message);
  }
  const given = form.get('token') ?? '';
  const goTo = safeNext(form.get('next'));
  let matched: string | undefined;
  for (const token of route.tokens) if (secretsEqual(given, token) && matched === undefined) matched = token;
  if (matched === undefined) {
    const remoteAddress = req.socket.remoteAddress ?? 'unknown';
    route.authLog.warn(
      `sign-in:${remoteAddress}`,
      { remoteAddress, path: '/login', reason: 'wrong token' },
      'memory server: web page sign-in refused (401), wrong token',
    );
    return send(res, 401, 'text/html; charset=utf-8', signInPage(goTo, true).text);
  }
  const secure = req.headers['x-forwarded-proto'] === 'https' || 'encrypted' in req.socket;
  res.setHeader('Set-Cookie', sessionCookie(matched, secure));
  return redirect(res, goTo);
}

function redirect(res: ServerResponse, to: string): void {
  res.writeHead(303, { Location: to, 'Cache-Control': 'no-store' });
  res.end();
}
