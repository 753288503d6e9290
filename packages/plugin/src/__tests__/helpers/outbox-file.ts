import { OutcomeOutbox } from '../../recording/outbox/outcome-outbox';
import type { DeadLetter } from '../../recording/outbox/outbox-types';
import { PluginCounters } from '../../support/plugin-counters';
import { silentLogger } from './testbed';

/** What an outbox file holds: outcomes still to deliver, and the dead letters. */
export interface OutboxFileContents {
  pending: number;
  deadLetters: DeadLetter[];
}

/** Reads an outbox file through a new outbox on it, as the next worker would, and closes it again. */
export function readOutboxFile(path: string): OutboxFileContents {
  const outbox = new OutcomeOutbox({ path, logger: silentLogger, counters: new PluginCounters() });
  try {
    return { pending: outbox.stats().pending, deadLetters: outbox.deadLetters() };
  } finally {
    outbox.close();
  }
}
