import { spawn } from 'node:child_process';
import { serveHttp } from '../serve-http';
import type { RunningHttpServer } from '../transports/http-server';
import { SESSION_COOKIE } from '../web/page-session';
import { STOMPY_MEMORY_BIN } from './helpers/connect-transports';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';

// The web page's auth is the MCP endpoints': off loopback a token is needed, as a bearer header or
// as the session cookie signing in with it sets. The cookie opens the read-only page and nothing
// else; sign-in failures are logged without the token; `stompy-memory ui` serves the page alone.

const TOKENS = ['first-web-page-token-0123456789', 'second-web-page-token-0123456789'];

describe('the web page behind a token', () => {
  let h: ToolHarness;
  let server: RunningHttpServer;
  let base: string;

  beforeAll(async () => {
    h = await openToolHarness();
    server = await serveHttp(h.deps, { host: '0.0.0.0', tokens: TOKENS });
    base = server.url.replace('0.0.0.0', '127.0.0.1');
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  const signIn = (token: string, next: string) =>
    fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, next }).toString(),
    });

  it('answers 401 with the sign-in form without a token, and serves its assets to anyone', async () => {
    const refused = await fetch(`${base}/keys?kind=entity`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const form = await refused.text();
    expect(form).toContain('<form method="post" action="/login">');
    expect(form).toContain('value="/keys?kind=entity"');
    expect((await fetch(`${base}/assets/style.css`)).status).toBe(200);
    expect(h.logs.some((l) => l['msg'] === 'memory server: web page refused (401), not signed in')).toBe(
      true,
    );
  });

  it('serves pages to a bearer token, with headers that keep them to this server', async () => {
    const page = await fetch(`${base}/`, { headers: { Authorization: `Bearer ${TOKENS[0]}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'; script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const head = await fetch(`${base}/`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${TOKENS[0]}` },
    });
    expect(head.status).toBe(200);
    const post = await fetch(`${base}/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKENS[0]}` },
    });
    expect(post.status).toBe(405);
  });

  it('signs in with any of the tokens, setting a session cookie that holds no token', async () => {
    const wrong = await signIn('not-a-token-of-this-server', '/versions');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('id="sign-in-refused"');
    const refusal = h.logs.find(
      (l) => l['msg'] === 'memory server: web page sign-in refused (401), wrong token',
    );
    expect(refusal).toBeDefined();
    expect(JSON.stringify(h.logs)).not.toContain('not-a-token-of-this-server');

    const signedIn = await signIn(TOKENS[1] ?? '', '/versions');
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/versions');
    const cookie = signedIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`),
    );
    expect(cookie).not.toContain(TOKENS[1]);
    const session = cookie.split(';')[0] ?? '';
    expect((await fetch(`${base}/versions`, { headers: { Cookie: session } })).status).toBe(200);
    // The cookie opens the page, not the memory: MCP and REST still need the token.
    const mcp = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { Cookie: session, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(401);
    expect((await fetch(`${base}/api/v1/projects`, { headers: { Cookie: session } })).status).toBe(401);
    expect((await fetch(`${base}/`, { headers: { Cookie: `${SESSION_COOKIE}=forged` } })).status).toBe(401);
  });

  it('goes back only to a path of this server after signing in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      expect((await signIn(TOKENS[0] ?? '', next)).headers.get('location')).toBe('/');
    }
  });
});

describe('a web page without tokens, on loopback', () => {
  it('serves pages to anyone on this machine; ui mode serves the page and the probes only', async () => {
    const h = await openToolHarness();
    const full = await serveHttp(h.deps);
    const pageOnly = await serveHttp(h.deps, { pageOnly: true });
    try {
      expect((await fetch(`${full.url}/`)).status).toBe(200);
      expect((await fetch(`${full.url}/login`, { redirect: 'manual' })).headers.get('location')).toBe('/');
      expect((await fetch(`${pageOnly.url}/`)).status).toBe(200);
      expect((await fetch(`${pageOnly.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${pageOnly.url}/api/v1/projects`)).status).toBe(404);
      const mcp = await fetch(`${pageOnly.url}/mcp`, { method: 'POST', body: '{}' });
      expect(mcp.status).toBe(404);
    } finally {
      await pageOnly.close();
      await full.close();
      await h.close();
    }
  });

  it('stompy-memory ui opens the page of a memory file and says where', async () => {
    const h = await openToolHarness();
    await h.close();
    const child = spawn(process.execPath, [STOMPY_MEMORY_BIN, 'ui', '--db', h.dbPath, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STOMPY_MEMORY_TOKEN: undefined, STOMPY_TOKEN: undefined },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no address line: ${out}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /web page on (http:\/\/\S+)\//.exec(out);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('What the memory learned');
      expect((await fetch(`${url}/mcp`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
