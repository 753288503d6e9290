// A burst workflow for the crash test: three quick activities, then the run ends.
import { proxyActivities } from '@temporalio/workflow';

const { step } = proxyActivities<{ step(n: number): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

export async function BurstWorkflow(id: string): Promise<string> {
  for (let n = 1; n <= 3; n++) await step(n);
  return id;
}
