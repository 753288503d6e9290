// The ledger sync's activity: its upstream is down every Sunday 03:00-04:00 UTC (business time), and
// otherwise works. When memory says the attempt is at high risk it queues the sync for later instead
// (and says so); it returns the risk it was handed, so the test can read it.
import { ApplicationFailure } from '@temporalio/activity';
import { recalledContext, recordHandling } from '../../../index';
import type { LedgerSync } from '../workflows/time-patterns';

export async function syncLedger(input: LedgerSync): Promise<unknown> {
  const risk = recalledContext()?.risk ?? null;
  if (risk?.level === 'high') {
    recordHandling('queued-for-later');
    return risk;
  }
  const at = new Date(input.at);
  if (at.getUTCDay() === 0 && at.getUTCHours() === 3)
    throw ApplicationFailure.nonRetryable(`upstream down syncing ${input.ledgerId}`, 'UpstreamDown');
  return risk;
}
