// A plain workflow whose activity echoes a summary of what it got: nothing of the plugin in it.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { describeInput } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

/** Passes its input to one activity and returns what the activity says about it. */
export async function EchoWorkflow(input: { customerId: string; payload: unknown }): Promise<string> {
  return describeInput(input);
}
