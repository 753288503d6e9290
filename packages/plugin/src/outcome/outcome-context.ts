import type { Outcome } from '../common/outcome';
import type { ContextWrite } from '../mcp/stompy-client';
import { outcomeNote } from './outcome-note';
import { outcomePriority, outcomeTags } from './outcome-tags';
import { outcomeTopic } from './outcome-topic';

/**
 * Turns an outcome into the context written to memory: its idempotent topic, its note, its tags and
 * its priority. The one place recording and recall agree on what an outcome looks like in memory.
 */
export function outcomeToContext(outcome: Outcome): ContextWrite {
  return {
    topic: outcomeTopic(outcome),
    content: outcomeNote(outcome),
    tags: outcomeTags(outcome),
    priority: outcomePriority(outcome),
  };
}
