import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { html, type Html } from './html';

// A browser cannot send a bearer header when it follows a link, so the page also accepts a session
// cookie, set by signing in with one of the server's tokens. The cookie holds an HMAC of the token,
// never the token: it opens the read-only page and nothing else (MCP and REST still need the token),
// it is the same on every server of a fleet that shares the token, and changing the token ends it.

/** The session cookie's name. */
export const SESSION_COOKIE = 'stompy_page_session';
const SESSION_LABEL = 'temporal-stompy web page session v1';

/** The session value a token signs in to. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update(SESSION_LABEL).digest('base64url');
}

/** The value of a cookie in a request's `Cookie` header, or undefined. */
function cookieOf(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Whether a request carries the session cookie of one of `tokens` (each compared, in constant time). */
export function hasValidSession(req: IncomingMessage, tokens: readonly string[]): boolean {
  const given = cookieOf(req, SESSION_COOKIE);
  if (given === undefined) return false;
  const presented = Buffer.from(given);
  let matched = false;
  for (const token of tokens) {
    const expected = Buffer.from(sessionValue(token));
    matched = (presented.length === expected.length && timingSafeEqual(presented, expected)) || matched;
  }
  return matched;
}

/** The `Set-Cookie` header that signs a browser in with `token`: HTTP-only, same-site, for the whole page. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Where to go after signing in: a path on this server, never another site; default the overview. */
export function safeNext(next: string | null | undefined): string {
  return next !== null && next !== undefined && /^\/(?![/\\])/.test(next) ? next : '/';
}

/** The sign-in page: a form posting one of the server's tokens to `/login`. */
export function signInPage(next: string, refused: boolean): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Sign in · temporal-stompy memory</title>
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body>
        <header><span class="brand">temporal-stompy memory</span></header>
        <main>
          <h1>Sign in</h1>
          <section>
            <p>This memory server needs its bearer token (the one MCP clients use) to show its page.</p>
            ${refused ? html`<p class="bad" id="sign-in-refused">That token is not one of this server's.</p>` : ''}
            <form method="post" action="/login">
              <input type="hidden" name="next" value="${safeNext(next)}" />
              <label
                >Token <input type="password" name="token" autocomplete="current-password" required
              /></label>
              <button>Sign in</button>
            </form>
          </section>
        </main>
      </body>
    </html>`;
}
