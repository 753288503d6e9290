import { activityInfo } from '@temporalio/activity';

/** When each activity attempt's function started running, by activity id and workflow id. */
export const startedAt = new Map<string, number>();

/** One step: notes when it started. */
export async function step(customerId: string, n: number): Promise<string> {
  const info = activityInfo();
  startedAt.set(`${info.workflowExecution?.workflowId ?? ''}/${info.activityId}`, performance.now());
  return `${customerId}:${n}`;
}
