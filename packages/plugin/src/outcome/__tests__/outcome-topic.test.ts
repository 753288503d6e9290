import { outcomeTopic } from '../outcome-topic';
import { activityOutcome, RUN_ID } from '../../__tests__/helpers/sample-outcome';

// An outcome's topic: readable for plain ids, the same for the same attempt (so a retried report
// records nothing twice), different for every other attempt and kind, and within Stompy's 100
// characters whatever the ids.

describe('outcome topics', () => {
  it('is readable for plain ids and the same for the same attempt', () => {
    const topic = outcomeTopic(activityOutcome());
    expect(topic).toBe(`temporal:act:default:order-42:${RUN_ID}:a2:3`);
    expect(outcomeTopic(activityOutcome({ status: 'completed' }))).toBe(topic);
  });

  it('differs per attempt, per local/remote activity and between workflow and activity outcomes', () => {
    const base = activityOutcome();
    const topics = new Set([
      outcomeTopic(base),
      outcomeTopic({ ...base, activity: { ...base.activity!, attempt: 4 } }),
      outcomeTopic({ ...base, activity: { ...base.activity!, local: true } }),
      outcomeTopic({ ...base, kind: 'workflow', activity: undefined }),
    ]);
    expect(topics.size).toBe(4);
  });

  it('hashes ids with unusual characters or that would pass 100 characters, deterministically', () => {
    for (const workflowId of ['order 42/ünïcode', 'o:42', 'x'.repeat(120)]) {
      const outcome = activityOutcome({ execution: { ...activityOutcome().execution, workflowId } });
      const topic = outcomeTopic(outcome);
      expect(topic).toMatch(/^temporal:act:h[a-z2-7]{40}$/);
      expect(topic.length).toBeLessThanOrEqual(100);
      expect(outcomeTopic(outcome)).toBe(topic);
    }
  });
});
