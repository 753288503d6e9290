import { Context } from '@temporalio/activity';
import { ActivityCancellationDetails } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import type { Outcome } from '../../common/outcome';
import { ActivityKeyExtractor } from '../../keys/activity-keys';
import { ActivityMemoryInterceptor, type ActivityMemoryDeps } from '../activity-memory-interceptor';
import { PluginCounters } from '../../support/plugin-counters';
import { ThrottledLog } from '../../support/throttled-log';
import { DEFAULT_REDACTED_KEYS } from '../../outcome/raw-capture';

// The activity interceptor on the SDK's MockActivityEnvironment: what it records for each way an
// attempt ends, that an attempt's recorded duration is the activity's own, not the recall's, and that
// the result waits for the recorder (which waits for the outbox, the recall budget at the most).

const RECALL_MS = 300;
const logger = pino({ level: 'silent' });

function environment(
  recallMs = 0,
  record: (outcome: Outcome, recorded: Outcome[]) => Promise<void> = (outcome, recorded) =>
    Promise.resolve(void recorded.push(outcome)),
): {
  env: MockActivityEnvironment;
  recorded: Outcome[];
  counters: PluginCounters;
} {
  const counters = new PluginCounters();
  const recorded: Outcome[] = [];
  const deps: ActivityMemoryDeps = {
    keyExtractor: new ActivityKeyExtractor([], logger, counters),
    recall: {
      recall: () => new Promise((resolve) => setTimeout(() => resolve(undefined), recallMs)),
    },
    recorder: { record: (outcome) => record(outcome, recorded) },
    capture: { args: false, result: false, redactKeys: DEFAULT_REDACTED_KEYS, maxChars: 1000 },
    logger,
    counters,
    refusedHandlingLog: new ThrottledLog(logger, { intervalMs: 60_000 }),
  };
  const env = new MockActivityEnvironment(
    { activityType: 'chargeCard' },
    { interceptors: [(ctx) => ({ inbound: new ActivityMemoryInterceptor(ctx, deps, undefined) })] },
  );
  return { env, recorded, counters };
}

/** An activity that waits to be cancelled, cancelled with `details` once it runs. */
async function cancelledWith(details: ConstructorParameters<typeof ActivityCancellationDetails>[0]) {
  const { env, recorded } = environment();
  const running = env.run(async () => {
    await Context.current().cancelled;
  });
  setTimeout(() => env.cancel('CANCELLED', new ActivityCancellationDetails(details)), 10);
  await expect(running).rejects.toThrow();
  expect(recorded).toHaveLength(1);
  return recorded[0];
}

it('records the activity’s own duration: the recall before it is not part of it', async () => {
  const { env, recorded } = environment(RECALL_MS);
  const before = Date.now();
  await env.run(async () => 'done');
  const [outcome] = recorded;
  expect(outcome).toMatchObject({ status: 'completed' });
  expect(outcome?.error).toBeUndefined();
  expect(outcome!.startedAtMs - before).toBeGreaterThanOrEqual(RECALL_MS - 5);
  expect(outcome!.endedAtMs - outcome!.startedAtMs).toBeLessThan(RECALL_MS);
});

it('records a failed attempt with its error, even when what was thrown is not an error', async () => {
  const { env, recorded } = environment();
  await expect(env.run(() => Promise.reject(new TypeError('bad card')))).rejects.toThrow('bad card');
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- activities can throw anything
  await expect(env.run(() => Promise.reject(undefined))).rejects.toBeUndefined();
  expect(recorded.map((o) => [o.status, o.error?.type, o.error?.message])).toEqual([
    ['failed', 'TypeError', 'bad card'],
    ['failed', 'undefined', 'undefined'],
  ]);
});

it('records cancellations the way the worker reports them to Temporal', async () => {
  expect(await cancelledWith({ cancelRequested: true })).toMatchObject({
    status: 'cancelled',
    error: { type: 'CancelledFailure' },
  });
  expect(await cancelledWith({ timedOut: true })).toMatchObject({ status: 'timed_out' });
  // Pausing or resetting an activity cancels the attempt, and the SDK reports a failure instead.
  expect(await cancelledWith({ paused: true })).toMatchObject({
    status: 'failed',
    error: { type: 'ActivityPause', message: 'Activity paused', nonRetryable: false },
  });
  expect(await cancelledWith({ reset: true })).toMatchObject({
    status: 'failed',
    error: { type: 'ActivityReset', message: 'Activity reset', nonRetryable: false },
  });
});

it('lets the activity’s own error through when describing it throws, and counts a plugin error', async () => {
  const { env, recorded, counters } = environment();
  const hostile = new Error('hostile');
  Object.defineProperty(hostile, 'cause', {
    get() {
      throw new Error('a getter that throws');
    },
  });
  await expect(env.run(() => Promise.reject(hostile))).rejects.toBe(hostile);
  expect(recorded).toHaveLength(0);
  expect(counters.snapshot().internalErrors).toBe(1);
});

it('hands the result over only once its outcome is in the outbox', async () => {
  const events: string[] = [];
  const { env } = environment(0, async (outcome, recorded) => {
    await new Promise((resolve) => setTimeout(resolve, 40));
    recorded.push(outcome);
    events.push('committed');
  });
  await env.run(async () => 'done');
  events.push('returned');
  expect(events).toEqual(['committed', 'returned']);
});
