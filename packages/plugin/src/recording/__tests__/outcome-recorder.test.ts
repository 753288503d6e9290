import pino from 'pino';
import type { Outcome } from '../../common/outcome';
import { PluginCounters } from '../../support/plugin-counters';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { activityOutcome } from '../../__tests__/helpers/sample-outcome';
import type { EnqueueResult } from '../outbox/outbox-types';
import { OutcomeRecorder, type OutcomeQueue } from '../outcome-recorder';

// The recorder hands an outcome to the outbox and lets its caller go once it is committed: at most
// the recall budget later, and at once while commits keep missing that budget (a stuck outbox costs
// activities nothing), until one is in time again. It never rejects, whatever goes wrong.

const WAIT_MS = 50;

function recorderWith(queue: OutcomeQueue, onRecorded?: (outcome: Outcome) => void) {
  const counters = new PluginCounters();
  const log = capturingLogger();
  const recorder = new OutcomeRecorder({
    queue,
    logger: log.logger,
    counters,
    waitMs: WAIT_MS,
    ...(onRecorded ? { onRecorded } : {}),
  });
  return { recorder, counters, log };
}

/** A queue whose commits take `delayMs()` each. */
function slowQueue(delayMs: () => number): OutcomeQueue & { committed: string[] } {
  const committed: string[] = [];
  return {
    committed,
    enqueue: (write) =>
      new Promise<EnqueueResult>((resolve) =>
        setTimeout(() => {
          committed.push(write.topic);
          resolve('queued');
        }, delayMs()),
      ),
  };
}

/** A distinct outcome per attempt number (each its own topic). */
function attempt(n: number): Outcome {
  const base = activityOutcome();
  return { ...base, activity: { ...base.activity!, attempt: n } };
}

async function timed(work: Promise<void>): Promise<number> {
  const started = Date.now();
  await work;
  return Date.now() - started;
}

it('lets its caller go once the outcome is committed', async () => {
  const queue = slowQueue(() => 10);
  const { recorder } = recorderWith(queue);
  await recorder.record(attempt(1));
  expect(queue.committed).toHaveLength(1);
});

it('waits at most the budget; stops waiting while commits keep missing it, and waits again once one is in time', async () => {
  let delay = 200;
  const { recorder, log } = recorderWith(slowQueue(() => delay));
  for (let i = 0; i < 3; i++) expect(await timed(recorder.record(attempt(i + 1)))).toBeLessThan(WAIT_MS + 40);
  expect(await timed(recorder.record(attempt(4)))).toBeLessThan(15); // no wait now
  expect(log.has('did not commit an outcome within the recall budget')).toBe(true);
  delay = 5;
  await new Promise((resolve) => setTimeout(resolve, 250)); // the slow commits land
  await recorder.record(attempt(5)); // not waited for, but committed in time: waiting resumes
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(await timed(recorder.record(attempt(6)))).toBeGreaterThanOrEqual(4);
});

it('never rejects: a listener that throws, an outbox that cannot be reached', async () => {
  const throwing = recorderWith(
    slowQueue(() => 1),
    () => {
      throw new Error('listener bug');
    },
  );
  await expect(throwing.recorder.record(attempt(1))).resolves.toBeUndefined();
  expect(throwing.counters.snapshot().internalErrors).toBe(1);

  const unreachable = recorderWith({ enqueue: () => Promise.reject(new Error('the memory thread exited')) });
  await expect(unreachable.recorder.record(attempt(1))).resolves.toBeUndefined();
  expect(unreachable.counters.snapshot().outcomesDropped).toBe(1);
  expect(unreachable.log.errors()).toEqual(['could not put an outcome in the outbox; it is lost']);
});

it('does not wait at all with a budget of zero', async () => {
  const recorder = new OutcomeRecorder({
    queue: slowQueue(() => 100),
    logger: pino({ level: 'silent' }),
    counters: new PluginCounters(),
    waitMs: 0,
  });
  expect(await timed(recorder.record(attempt(1)))).toBeLessThan(20);
});
