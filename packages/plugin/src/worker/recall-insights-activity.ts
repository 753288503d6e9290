import { Context } from '@temporalio/activity';
import type { RecallInsightsRequest, WorkflowMemory } from '../common/workflow-memory';
import { activityKey, entityKey, workflowKey } from '../keys/memory-keys';
import type { MemoryRecall } from '../recall/memory-recall';

/** What a workflow gets when there is no memory to ask: decide as without memory. */
const NOTHING_KNOWN = { level: 'low', score: 0, reasons: [] } as const;

/**
 * The activity that answers `recallInsights()` from workflow code: recall (within its budget, through
 * its cache) for the entities' keys, the keys of the activity types asked about and the workflow
 * type's key, with the risk of this run of the workflow type on this worker's version at the event
 * time asked (a regression of this version in one of those activity types counts). Never throws for want of memory:
 * the workflow gets `complete: false` and decides as it would without the plugin.
 */
export function recallInsightsActivity(
  recall: () => Pick<MemoryRecall, 'recall'> | undefined,
  workerVersion: string | undefined,
): (request: RecallInsightsRequest) => Promise<WorkflowMemory> {
  return async (request) => {
    const { workflowType } = Context.current().info;
    const typeKey = workflowType === undefined ? undefined : workflowKey(workflowType);
    const entityKeys = Object.entries(request.entities ?? {}).map(([name, value]) =>
      entityKey(name, String(value)),
    );
    const activityKeys = (request.activityTypes ?? []).map((type) => activityKey(String(type)));
    const asked = [...entityKeys, ...activityKeys];
    const keys = [...new Set(typeKey === undefined ? asked : [...asked, typeKey])];
    const eventTimeMs = Number.isFinite(request.eventTimeMs) ? request.eventTimeMs : Date.now();
    const recalled = await recall()?.recall(keys, { typeKey, version: workerVersion, eventTimeMs });
    if (!recalled) return { keys, insights: {}, risk: NOTHING_KNOWN, complete: false };
    return { keys, insights: recalled.insights, risk: recalled.risk, complete: recalled.complete };
  };
}
