import type { Logger } from 'pino';
import { unknownBacklog, type DeliveryBacklog } from '../recording/delivery/delivery-backlog';
import { TIMED_OUT, withDeadline } from '../support/deadline';
import { errorMessage } from '../support/error-message';

/**
 * Waits at most `timeoutMs` for the memory thread's answer to a backlog request; never rejects. An
 * answer that does not come in time, or a request that fails (the thread is down or restarting),
 * gives `known: false` with the reason, logged as a warning.
 */
export async function awaitBacklog(
  asked: Promise<DeliveryBacklog>,
  timeoutMs: number,
  logger: Logger,
): Promise<DeliveryBacklog> {
  try {
    const answer = await withDeadline(asked, timeoutMs);
    if (answer !== TIMED_OUT) return answer;
    asked.catch(() => undefined); // it settles later (an answer or its own time limit); nobody waits
    logger.warn(
      { timeoutMs },
      'the memory thread did not report the backlog in time; reporting it as unknown',
    );
    return unknownBacklog(`the memory thread did not answer within ${timeoutMs} ms`);
  } catch (error) {
    logger.warn({ err: error }, 'could not read the backlog from the memory thread; reporting it as unknown');
    return unknownBacklog(`the memory thread did not answer: ${errorMessage(error)}`);
  }
}
