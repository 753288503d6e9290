import { checkedNumber, NON_NEGATIVE, POSITIVE, type NumberRange } from '../../support/number-check';
import type { OutcomeOutboxOptions } from './outbox-types';

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The outbox's numeric settings, checked, with every default filled in. */
export interface OutboxSettings {
  readonly maxPending: number;
  readonly maxPendingBytes: number;
  readonly maxDeliveredTopics: number;
  readonly deliveredRetentionMs: number;
  readonly maxDeadLetters: number;
  readonly defaultLeaseMs: number;
  readonly dropLogIntervalMs: number;
  readonly busyTimeoutMs: number;
}

/** Checks the outbox's numeric options (a bad one throws a TypeError naming it) and fills in defaults. */
export function outboxSettings(options: OutcomeOutboxOptions): OutboxSettings {
  const setting = (name: keyof OutboxSettings, fallback: number, range: NumberRange = POSITIVE): number =>
    checkedNumber('OutcomeOutbox', name, options[name], fallback, range);
  return {
    maxPending: setting('maxPending', 100_000),
    maxPendingBytes: setting('maxPendingBytes', 64 * MiB),
    maxDeliveredTopics: setting('maxDeliveredTopics', 100_000),
    deliveredRetentionMs: setting('deliveredRetentionMs', 7 * DAY_MS),
    maxDeadLetters: setting('maxDeadLetters', 1_000),
    defaultLeaseMs: setting('defaultLeaseMs', 30_000),
    dropLogIntervalMs: setting('dropLogIntervalMs', 10_000, NON_NEGATIVE),
    busyTimeoutMs: setting('busyTimeoutMs', 1_000, NON_NEGATIVE),
  };
}
