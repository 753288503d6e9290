import { activityInfo } from '@temporalio/activity';

/** When each attempt's function started (by workflow id and activity id), read by the latency probe. */
export const startedAt = new Map<string, number>();

/** The key of an attempt in {@link startedAt}. */
export function attemptKey(workflowId: string | undefined, activityId: string): string {
  return `${workflowId ?? ''}/${activityId}`;
}

function mark(): void {
  const info = activityInfo();
  startedAt.set(attemptKey(info.workflowExecution?.workflowId, info.activityId), performance.now());
}

/** Looks a customer up. */
export async function lookup(customerId: string): Promise<string> {
  mark();
  return customerId;
}

/** Decides something for a customer. */
export async function decide(customerId: string): Promise<string> {
  mark();
  return `${customerId}:ok`;
}

/** Confirms. */
export async function confirm(customerId: string): Promise<string> {
  mark();
  return `${customerId}:confirmed`;
}
