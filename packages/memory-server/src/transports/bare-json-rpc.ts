import type { IncomingMessage } from 'node:http';

/** The `Accept` value the MCP SDK's Streamable HTTP transport requires on every POST. */
const STREAMABLE_ACCEPT = 'application/json, text/event-stream';

/**
 * Lets a bare JSON-RPC POST to `/mcp` through: hosted Stompy, and Stompy's own CLI, send only
 * `Content-Type: application/json` (no `Accept: application/json, text/event-stream`, no
 * `initialize`) and read a plain JSON body. The server answers every POST with a JSON body
 * (`enableJsonResponse`), so a request that does not accept both types is given the `Accept` the SDK
 * requires before the transport reads it; what the client gets is still `application/json`. A request
 * that accepts both is left exactly as it is. Returns whether the request was changed.
 *
 * The SDK reads headers from `rawHeaders` (through `@hono/node-server`), so both they and `headers`
 * are rewritten.
 */
export function acceptBareJsonRpc(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  if (accept.includes('application/json') && accept.includes('text/event-stream')) return false;
  const raw: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    if (name.toLowerCase() !== 'accept') raw.push(name, req.rawHeaders[i + 1] ?? '');
  }
  raw.push('Accept', STREAMABLE_ACCEPT);
  req.rawHeaders.splice(0, req.rawHeaders.length, ...raw);
  req.headers.accept = STREAMABLE_ACCEPT;
  return true;
}
