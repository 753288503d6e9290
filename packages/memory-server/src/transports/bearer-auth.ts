import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Compares two secrets in constant time (hashing first so their lengths cannot leak). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of a request's `Authorization: Bearer <token>` header, or undefined without one. */
export function presentedBearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  return /^Bearer\s+(.+)$/i.exec(header.trim())?.[1];
}

/**
 * Whether a request carries `Authorization: Bearer <token>` with one of the configured tokens (always
 * true when none is configured). Every configured token is compared, so timing does not say which matched.
 */
export function hasValidBearerToken(req: IncomingMessage, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return true;
  const given = presentedBearerToken(req);
  if (given === undefined) return false;
  let matched = false;
  for (const token of tokens) matched = secretsEqual(given, token) || matched;
  return matched;
}
