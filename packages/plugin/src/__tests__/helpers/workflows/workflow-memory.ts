// Fixture workflow for `recallInsights()`: it decides its retry policy from memory, as the product
// page's OrderWorkflow does. It imports the plugin's workflow entry (the source, bundled like the
// package's `@temporal-stompy/plugin/workflow`).
import { proxyActivities } from '@temporalio/workflow';
import { recallInsights, type WorkflowMemory } from '../../../workflow-api';
import type * as activities from '../activities/workflow-memory';

/** What the fixture returns: what the memory said, and the decision it led to. */
export interface MemoryDecision {
  readonly memory: WorkflowMemory;
  readonly maximumAttempts: number;
}

export async function DecideWithMemory(customerId: string, local = true): Promise<MemoryDecision> {
  const memory = await recallInsights({ customer: customerId }, { local });
  const maximumAttempts = memory.risk.level === 'high' ? 5 : 3;
  const { noteDecision } = proxyActivities<typeof activities>({
    startToCloseTimeout: '10s',
    retry: { maximumAttempts },
  });
  await noteDecision(customerId, maximumAttempts);
  return { memory, maximumAttempts };
}
