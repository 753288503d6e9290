// A changed ReplayOrder (it no longer asks for a price first): replaying the committed histories
// against it must fail, which shows the replay tests can tell a safe change from an unsafe one.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities/replay';
import type { ReplayOrderInput } from './replay';

const { chargeCard } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** ReplayOrder with its local activity removed: a nondeterministic change. */
export async function ReplayOrder(input: ReplayOrderInput): Promise<string> {
  return chargeCard(input.customerId, 100);
}
