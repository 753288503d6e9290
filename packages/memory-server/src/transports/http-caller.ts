import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ToolCaller } from '../tools/tool-context';
import { presentedBearerToken } from './bearer-auth';

/**
 * Who an HTTP request comes from, for per-caller rate limits: its bearer token, named by the first 12
 * hex digits of the token's SHA-256 (`token:3f9a...`), so neither the key nor a log line holds the
 * secret; without a token, its remote address (`address:127.0.0.1`). A server bound to loopback
 * without `--token` still tells tokens apart, so two clients can be given two budgets.
 */
export function httpCaller(req: IncomingMessage, counted: boolean): ToolCaller {
  const token = presentedBearerToken(req);
  const key =
    token !== undefined
      ? `token:${createHash('sha256').update(token).digest('hex').slice(0, 12)}`
      : `address:${req.socket.remoteAddress ?? 'unknown'}`;
  return { key, counted };
}
