/** Fewest characters a bearer token must have on a server reachable from other machines. */
export const MIN_PUBLIC_TOKEN_LENGTH = 16;

/**
 * Why a bearer token is too weak for a server bound off loopback (fewer than
 * {@link MIN_PUBLIC_TOKEN_LENGTH} characters, or only whitespace), or undefined when it is not.
 * The reason never quotes the token.
 */
export function weakTokenReason(token: string): string | undefined {
  if (token.trim() === '') return 'it is empty or only whitespace';
  if (token.length < MIN_PUBLIC_TOKEN_LENGTH) return `it has ${token.length} characters`;
  return undefined;
}

/** Throws a clear error when any of `tokens` is too weak for a server bound to `host` off loopback. */
export function refuseWeakTokens(host: string, tokens: readonly string[]): void {
  tokens.forEach((token, i) => {
    const reason = weakTokenReason(token);
    if (reason === undefined) return;
    throw new Error(
      `refusing to bind ${host} with a weak bearer token (token ${i + 1} of ${tokens.length}: ${reason}): ` +
        `off loopback a token needs at least ${MIN_PUBLIC_TOKEN_LENGTH} characters and not only whitespace. ` +
        'Generate one with `openssl rand -hex 32`.',
    );
  });
}
