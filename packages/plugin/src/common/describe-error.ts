import { ApplicationFailure } from '@temporalio/common';
import type { OutcomeError } from './outcome';
import { cutText } from './cut-text';

/** Longest error message recorded; the rest is cut (messages can carry payload fragments). */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * Describes an error as recorded: its root cause's application type (or class name), message and
 * whether it is non-retryable. A workflow failing with `ActivityFailure` -> `ApplicationFailure
 * PaymentDeclined` is recorded as `PaymentDeclined`. Pure and total: safe in the sandbox and worker.
 */
export function describeError(error: unknown): OutcomeError {
  const cause = rootOf(error);
  const type =
    cause instanceof ApplicationFailure && cause.type
      ? cause.type
      : cause instanceof Error
        ? cause.name
        : typeof cause;
  let message: string;
  try {
    message = cause instanceof Error ? cause.message : String(cause);
  } catch {
    message = '(unprintable error)';
  }
  return {
    type,
    message: cutText(message, MAX_ERROR_MESSAGE_LENGTH),
    nonRetryable: cause instanceof ApplicationFailure && cause.nonRetryable === true,
  };
}

/** Follows `cause` links to the innermost error (bounded, so a cycle cannot hang us). */
function rootOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 20 && current instanceof Error && current.cause !== undefined; depth++) {
    current = current.cause;
  }
  return current;
}
