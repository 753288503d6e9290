// A ledger sync that knows nothing of the plugin or of the order example: it syncs a ledger for a
// business time, and its one activity reports the risk memory gave it.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/time-patterns';

const { syncLedger } = proxyActivities<typeof activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
});

/** One sync of a ledger at a business time. */
export interface LedgerSync {
  ledgerId: string;
  /** Business time of the sync, ISO 8601. */
  at: string;
}

/** Syncs once; resolves with the risk the activity was handed (null without memory). */
export async function SyncLedger(input: LedgerSync): Promise<unknown> {
  return syncLedger(input);
}
