import { ApplicationFailure } from '@temporalio/activity';
import { recalledContext } from '../../index';

/** The learning fixtures' activities; two read memory, as a team would where it matters. */
export const learningActivities = {
  /** Declines customer C1's card; charges everyone else. */
  async charge(customerId: string): Promise<string> {
    if (customerId === 'C1')
      throw ApplicationFailure.nonRetryable(`card of ${customerId} declined`, 'CardDeclined');
    return `charged ${customerId}`;
  },
  /** Returns the memory this attempt started with. */
  async adviseCharge(): Promise<unknown> {
    return recalledContext() ?? null;
  },
  /** Has a rule with `recall: false`: returns whatever recalledContext() gives (must be nothing). */
  async auditCharge(): Promise<unknown> {
    return recalledContext() ?? null;
  },
};

/** The activities' type, for proxyActivities. */
export type LearningActivities = typeof learningActivities;
