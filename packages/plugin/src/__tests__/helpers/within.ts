import { TIMED_OUT, withDeadline } from '../../support/deadline';

/** What `work` resolves with, or an error naming `what` when it has not settled within `ms`. */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  const result = await withDeadline(work, ms);
  if (result === TIMED_OUT) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  return result;
}
