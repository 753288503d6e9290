import type { StompyToolError } from '../../mcp/stompy-errors';

/** What delivery does with an entry the memory server refused. */
export type RefusalVerdict =
  /** The server already has it (a write-once topic too close to its stored version). */
  | { readonly kind: 'stored' }
  /** A rate limit or overload: wait as the server says, retry without limit (the outbox is bounded). */
  | { readonly kind: 'retry-later' }
  /** No clear reason: retry with backoff, a bounded number of times. `outcomeUnknown`: check before writing again. */
  | { readonly kind: 'retry-bounded'; readonly outcomeUnknown: boolean }
  /** The entry itself is wrong, or it was refused too often: keep it in the dead letters, never retry. */
  | { readonly kind: 'dead-letter'; readonly reason: string };

/** Hosted Stompy refuses a version too close to the latest one: for our write-once topics, it is already stored. */
const ALREADY_STORED = 'insufficient_novelty';
/** Codes meaning "the server may have stored it but its answer could not be read". */
const UNREADABLE_ANSWER = new Set(['malformed_result', 'missing_result']);
/**
 * Refusals that say the entry itself is wrong: sending it again cannot help. Any other refusal (no
 * code, `internal_error`, or a code this plugin does not know, such as a quota or maintenance code of
 * a newer server) is retried a bounded number of times: a code we do not know must not dead-letter a
 * whole backlog in one pass.
 */
const PERMANENT_REFUSAL = new Set([
  'invalid_input',
  'invalid_params',
  'payload_too_large',
  'content_too_large',
]);

/** Whether the server refused a write as too close to the topic's latest version: it has the content. */
export function isAlreadyStored(error: StompyToolError): boolean {
  return error.code === ALREADY_STORED;
}

/**
 * The verdict on one refused entry, from the refusal and the entry's attempt number (from 1). Pure:
 * the whole policy of what delivery retries, and for how long, is here.
 */
export function refusalVerdict(
  error: StompyToolError,
  attempt: number,
  maxUnclearAttempts: number,
): RefusalVerdict {
  if (error.code === ALREADY_STORED) return { kind: 'stored' };
  if (error.retryable) return { kind: 'retry-later' };
  if (error.code !== undefined && PERMANENT_REFUSAL.has(error.code)) {
    return { kind: 'dead-letter', reason: describeRefusal(error) };
  }
  if (attempt >= maxUnclearAttempts) {
    return { kind: 'dead-letter', reason: `${describeRefusal(error)} (gave up after ${attempt} attempts)` };
  }
  return { kind: 'retry-bounded', outcomeUnknown: mayHideStoredWrite(error) };
}

/** Whether a refused call may still have stored its writes (its answer could not be read). */
export function mayHideStoredWrite(error: StompyToolError): boolean {
  return error.code !== undefined && UNREADABLE_ANSWER.has(error.code);
}

/**
 * Whether a refusal of a whole batch call says the call itself was wrong (the tool is gone, or one
 * bad entry failed the call's validation), so its entries should be sent one by one to find out.
 */
export function refusesTheWholeBatch(error: StompyToolError): boolean {
  return !error.retryable && error.code !== ALREADY_STORED && !mayHideStoredWrite(error);
}

/** A refusal as kept with the entry: `code: message`. */
export function describeRefusal(error: StompyToolError): string {
  return error.code === undefined ? error.message : `${error.code}: ${error.message}`;
}
