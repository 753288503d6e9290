import { activityInfo, Context } from '@temporalio/activity';

/** Sleeps (cancellation-aware) past its timeout on the first attempt; returns at once after that. */
export async function slowOnce(): Promise<string> {
  if (activityInfo().attempt === 1) await Context.current().sleep(10_000);
  return `done on attempt ${activityInfo().attempt}`;
}
