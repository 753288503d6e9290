import type { KnownDeliveryBacklog } from '../../recording/delivery/delivery-backlog';

/** A known backlog: empty and keeping up, with `fields` changed. */
export function knownBacklog(fields: Partial<KnownDeliveryBacklog> = {}): KnownDeliveryBacklog {
  return {
    known: true,
    pending: 0,
    pendingBytes: 0,
    oldestAgeMs: undefined,
    deadLetters: 0,
    deliveredPerMinute: 0,
    estimatedDrainMs: 0,
    circuit: 'closed',
    digests: { keys: 0, dirty: 0, oldestDirtyAgeMs: undefined },
    ...fields,
  };
}
