/**
 * Header names the plugin reads and writes. Headers bypass the payload codec, so they carry only
 * rule-extracted keys and recalled memories and insights, never raw arguments, results or secrets.
 */

/** The workflow's {@link ExecutionKeys}, added by the workflow outbound interceptor to activities and child workflows. */
export const KEYS_HEADER = 'stompy-keys';

/** The recalled memory put on an activity's input by the activity interceptor before the activity runs. */
export const CONTEXT_HEADER = 'stompy-context';

/** The sink the workflow sandbox reports run outcomes through (names starting `__temporal_` are reserved). */
export const OUTCOME_SINK = 'stompyOutcomes';
