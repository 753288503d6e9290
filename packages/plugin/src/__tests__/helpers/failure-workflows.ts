// Workflows for the outage and bad-input tests: plain workflow code, nothing of the plugin in it.
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './failure-activities';

const { step, describeInput, oddResult, oddFailure } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

/** Runs three steps for a customer. */
export async function ThreeSteps(input: { customerId: string }): Promise<string[]> {
  return [await step(input.customerId, 1), await step(input.customerId, 2), await step(input.customerId, 3)];
}

/** Passes its input to one activity and returns what the activity says about it. */
export async function EchoWorkflow(input: { customerId: string; payload: unknown }): Promise<string> {
  return describeInput(input);
}

/** Returns what the activity returned, as Temporal delivered it. */
export async function OddResult(kind: string): Promise<unknown> {
  return oddResult(kind);
}

/** Fails the way the activity failed. */
export async function OddFailure(kind: string): Promise<unknown> {
  return oddFailure(kind);
}
