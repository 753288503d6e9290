// Activities for the outage and bad-input tests. Plain activity code: the only thing of the plugin they
// touch is `recalledContext()`, read to report what memory an attempt saw.
import { activityInfo } from '@temporalio/activity';
import { recalledContext } from '../../index';
import type { RecalledContext } from '../../index';

/** When each attempt's function started (`performance.now()`), by `<workflowId>/<activityId>`. */
export const startedAt = new Map<string, number>();
/** What `recalledContext()` returned in each attempt, by `<workflowId>/<activityId>`. */
export const recalled = new Map<string, RecalledContext | undefined>();

function note(): void {
  const info = activityInfo();
  const key = `${info.workflowExecution?.workflowId ?? ''}/${info.activityId}`;
  startedAt.set(key, performance.now());
  recalled.set(key, recalledContext());
}

/** One step of ThreeSteps. */
export async function step(customerId: string, n: number): Promise<string> {
  note();
  return `${customerId}:${n}`;
}

/** Describes its input (the length of the payload as JSON), the same with or without the plugin. */
export async function describeInput(input: { customerId: string; payload: unknown }): Promise<string> {
  note();
  return `${input.customerId}:${JSON.stringify(input.payload)?.length ?? 0}`;
}

class Money {
  constructor(readonly cents: number) {}
}

/** Results that are not plain JSON: some Temporal converts, some it cannot serialize at all. */
export async function oddResult(kind: string): Promise<unknown> {
  note();
  switch (kind) {
    case 'bigint':
      return { amount: 10n };
    case 'circular': {
      const value: Record<string, unknown> = { name: 'loop' };
      value.self = value;
      return value;
    }
    case 'toJSON-throws':
      return {
        toJSON() {
          throw new Error('cannot serialize me');
        },
      };
    case 'map':
      return new Map([['a', 1]]);
    case 'class':
      return new Money(5);
    case 'date':
      return new Date(0);
    case 'undefined':
      return undefined;
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

/** Failures that are not Error instances (or are odd ones). */
export async function oddFailure(kind: string): Promise<never> {
  note();
  switch (kind) {
    case 'string':
      throw 'a plain string'; // eslint-disable-line @typescript-eslint/only-throw-error
    case 'undefined':
      throw undefined; // eslint-disable-line @typescript-eslint/only-throw-error
    case 'object':
      throw { code: 42 }; // eslint-disable-line @typescript-eslint/only-throw-error
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}
