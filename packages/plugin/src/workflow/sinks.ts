import type { Sinks } from '@temporalio/workflow';
import type { WorkflowRunReport } from '../common/outcome';

/** The sink the sandbox reports through; the worker side implements it (see worker/outcome-sink.ts). */
export interface StompySinks extends Sinks {
  stompyOutcomes: {
    /** A workflow run ended (completed, failed, cancelled or continued as new). */
    workflowEnded(report: WorkflowRunReport): void;
  };
}
