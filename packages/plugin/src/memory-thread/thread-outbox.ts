import type { Logger } from 'pino';
import { OutcomeOutbox } from '../recording/outbox/outcome-outbox';
import type { PluginCounters } from '../support/plugin-counters';
import type { ThreadSettings } from './thread-protocol';

/**
 * Opens the outbox file. When it cannot be opened (unwritable folder, a file from a newer version),
 * the worker still starts: outcomes wait in memory instead, which survives an outage but not a
 * restart, and the error says so. `logger` is the plugin's; the outbox logs as `outbox`.
 */
export function openOutbox(
  outbox: ThreadSettings['outbox'],
  logger: Logger,
  outboxLogger: Logger,
  counters: Pick<PluginCounters, 'add'>,
): OutcomeOutbox {
  const settings = {
    logger: outboxLogger,
    counters,
    maxPendingBytes: outbox.maxBytes,
    maxPending: outbox.maxEntries,
  };
  try {
    return new OutcomeOutbox({ path: outbox.path, ...settings });
  } catch (error) {
    counters.add('internalErrors');
    logger.error(
      { err: error, path: outbox.path },
      'cannot open the outbox file; queuing outcomes in memory (they will not survive a restart). Fix the path or permissions (option outbox.path)',
    );
    return new OutcomeOutbox({ path: ':memory:', ...settings });
  }
}
