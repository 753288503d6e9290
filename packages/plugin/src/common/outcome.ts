import type { ExecutionKeys } from './execution-keys';
import type { RejectedEventTime } from './workflow-rules';

/** How an execution ended. */
export type OutcomeStatus = 'completed' | 'failed' | 'cancelled' | 'timed_out' | 'continued_as_new';

/** The error an execution ended with, as recorded (type, message, and whether Temporal may retry it). */
export interface OutcomeError {
  type: string;
  message: string;
  nonRetryable: boolean;
}

/** Identity and placement of an execution: enough to find it in Temporal's UI and to build its topic. */
export interface ExecutionRef {
  namespace: string;
  taskQueue: string;
  workflowId: string;
  runId: string;
  workflowType: string;
}

/**
 * The end of one workflow run, as the workflow sandbox reports it through the outcome sink. Plain
 * JSON (it crosses the isolate boundary); times are workflow time, so they are deterministic.
 */
export interface WorkflowRunReport extends ExecutionRef {
  status: OutcomeStatus;
  error?: OutcomeError;
  /** Workflow-time start and end, epoch milliseconds. */
  startedAtMs: number;
  endedAtMs: number;
  attempt: number;
  parent?: { workflowId: string; runId: string };
  /** The keys the workflow rules extracted in the sandbox. */
  keys: ExecutionKeys;
  /** An event time a workflow rule read that is no time (left out of `keys`), for the worker to log. */
  rejectedEventTime?: RejectedEventTime;
}

/** Where an activity attempt sits in its workflow. */
export interface ActivityAttemptRef {
  activityId: string;
  activityType: string;
  attempt: number;
  /** A local activity (run by the workflow worker without a server round trip). */
  local: boolean;
}

/** One recorded outcome: a workflow run or an activity attempt, with the keys its rules gave it. */
export interface Outcome {
  kind: 'workflow' | 'activity';
  execution: ExecutionRef;
  activity?: ActivityAttemptRef;
  status: OutcomeStatus;
  error?: OutcomeError;
  startedAtMs: number;
  endedAtMs: number;
  /** The worker's build id or deployment version, when it has one. */
  workerVersion?: string;
  parent?: { workflowId: string; runId: string };
  keys: ExecutionKeys;
  /**
   * The IANA time zone the outcome is counted in for time windows (its rule's, checked); UTC when
   * undefined.
   */
  timeZone?: string;
  /** The handling the attempt chose (`recordHandling('backup-gateway')`); the default path when undefined. */
  handling?: string;
  /** Raw arguments and result, redacted, when raw capture is opted in. */
  captured?: { args?: string; result?: string };
}
