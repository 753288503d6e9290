// Workflows that end a run from somewhere other than the main function's return or throw: an update
// handler that continues as new, and errors that fail the run only because the worker or the
// workflow's definition lists their type. Ordinary workflow code: nothing of the plugin in it.
import { condition, continueAsNew, defineUpdate, setHandler, setWorkflowOptions } from '@temporalio/workflow';

/** Asks a running `EndRestartable` to continue as new from inside the update handler. */
export const restart = defineUpdate<void>('restart');

/** Waits until the `restart` update continues it as new; the next run (generation 1) completes at once. */
export async function EndRestartable(generation: number): Promise<string> {
  setHandler(restart, async () => {
    await continueAsNew<typeof EndRestartable>(generation + 1);
  });
  if (generation > 0) return `generation ${generation}`;
  await condition(() => false);
  return 'never';
}

/** An error of the workflow's own: it fails the run only because the worker lists its type. */
export class InsufficientStock extends Error {}

/** Throws InsufficientStock, which `workflowFailureErrorTypes` on the worker turns into a failed run. */
export async function EndListedByWorker(sku: string): Promise<never> {
  await Promise.resolve();
  throw new InsufficientStock(`no ${sku} left in any warehouse`);
}

/** An error of the workflow's own: it fails the run because the workflow's definition lists it. */
export class PaymentDeclined extends Error {}

/** Throws PaymentDeclined, listed in its own `failureExceptionTypes`, from an update handler. */
export async function EndListedByDefinition(): Promise<never> {
  setHandler(restart, () => {
    throw new PaymentDeclined('card declined while restarting');
  });
  await condition(() => false);
  throw new Error('unreachable');
}
setWorkflowOptions({ failureExceptionTypes: [PaymentDeclined] }, EndListedByDefinition);
