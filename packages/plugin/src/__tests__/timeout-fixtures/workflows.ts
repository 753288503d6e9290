// A workflow whose local activity overruns its start-to-close timeout once, then succeeds. (The
// worker times local activities itself; a remote activity's timeout is the server's to see.)
import { proxyLocalActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { slowOnce } = proxyLocalActivities<typeof activities>({
  startToCloseTimeout: '1 second',
  retry: { initialInterval: '10 milliseconds', maximumAttempts: 2 },
});

/** Calls an activity that times out on its first attempt. */
export async function TimeoutWorkflow(): Promise<string> {
  return slowOnce();
}
