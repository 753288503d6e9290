import type { Logger } from 'pino';
import type { CallGate } from '../../support/call-budget';
import type { PluginCounters } from '../../support/plugin-counters';
import type { AnswerFiling } from './answer-filing';
import type { CircuitBreaker } from './circuit-breaker';
import type { DeliveryClock } from './delivery-clock';
import type { DeliveryClient, DeliveryOutbox, DeliverySettings } from './delivery-settings';

/** What one step of delivery came to. */
export type StepResult =
  | { readonly kind: 'progress' }
  /** Nothing due; something may become due in `waitMs`. */
  | { readonly kind: 'idle'; readonly waitMs: number }
  /** Work is due but must wait `waitMs` (circuit open, rate limit, server's retry-after). */
  | { readonly kind: 'blocked'; readonly waitMs: number };

/** What the sender shares with the rest of delivery. */
export interface SenderDeps {
  readonly outbox: DeliveryOutbox;
  readonly client: DeliveryClient;
  readonly logger: Logger;
  readonly counters: Pick<PluginCounters, 'add'>;
  readonly clock: DeliveryClock;
  readonly settings: DeliverySettings;
  readonly circuit: CircuitBreaker;
  readonly bucket: CallGate;
  readonly filing: AnswerFiling;
  /** Whether the loop was stopped (a step that finds it stopped sends nothing more). */
  readonly stopped: () => boolean;
  /** Counts and logs a failure that is a plugin bug. */
  readonly internalError: (error: unknown) => void;
}
