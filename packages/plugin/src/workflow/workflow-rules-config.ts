import type { SerializedWorkflowRule } from '../common/workflow-rules';

// Replaced at bundle time by the plugin's DefinePlugin with the JSON of the worker's workflow rules.
// Left undefined in a bundle built without the plugin: the interceptors then extract no keys.
declare const __STOMPY_WORKFLOW_RULES__: string | undefined;

let parsed: readonly SerializedWorkflowRule[] | undefined;

/** The workflow rules the bundle was built with (parsed once per workflow context). */
export function workflowRules(): readonly SerializedWorkflowRule[] {
  if (parsed === undefined) {
    try {
      parsed =
        typeof __STOMPY_WORKFLOW_RULES__ === 'string'
          ? (JSON.parse(__STOMPY_WORKFLOW_RULES__) as SerializedWorkflowRule[])
          : [];
    } catch {
      parsed = [];
    }
  }
  return parsed;
}
