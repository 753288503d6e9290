import type { Outcome } from '../common/outcome';
import type { ContextWrite } from '../mcp/stompy-client';
import { countedOutcome } from './counted-outcome';
import { outcomeNote } from './outcome-note';
import { outcomePriority, outcomeTags } from './outcome-tags';
import { outcomeTopic } from './outcome-topic';

/**
 * Turns an outcome into the context written to memory: its idempotent topic, its note, its tags and
 * its priority, and the keys and facts a server that counts outcomes counts it by. The one place
 * recording and recall agree on what an outcome looks like in memory.
 */
export function outcomeToContext(outcome: Outcome): ContextWrite {
  const topic = outcomeTopic(outcome);
  return {
    topic,
    content: outcomeNote(outcome),
    tags: outcomeTags(outcome),
    priority: outcomePriority(outcome),
    outcome: countedOutcome(outcome, topic),
  };
}
