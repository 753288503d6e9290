// The benchmark's workflow: three short activities, nothing of the plugin in it.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './bench-activities';

const { lookup, decide, confirm } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

/** Three activities for one customer. */
export async function BenchWorkflow(input: { customerId: string }): Promise<string> {
  await lookup(input.customerId);
  await decide(input.customerId);
  return confirm(input.customerId);
}
