import { MockActivityEnvironment } from '@temporalio/testing';
import type { Outcome } from '../../common/outcome';
import { ActivityKeyExtractor } from '../../keys/activity-keys';
import { DEFAULT_REDACTED_KEYS } from '../../outcome/raw-capture';
import { MAX_HANDLING_LENGTH, recalledContext, recordHandling } from '../../recall/attempt-scope';
import type { RecalledContext } from '../../recall/recalled-context';
import { PluginCounters } from '../../support/plugin-counters';
import { ThrottledLog } from '../../support/throttled-log';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { ActivityMemoryInterceptor } from '../activity-memory-interceptor';

// recordHandling() labels the running attempt's outcome: inside an attempt run by the plugin the last
// usable label wins (trimmed, on one line, cut to 100 characters) and an empty one is refused and
// logged; outside an attempt it does nothing and warns once per process. recalledContext() still
// returns the attempt's recalled memory from the same scope.

const RECALLED: RecalledContext = Object.freeze({
  keys: ['activity:chargeCard'],
  memories: [],
  insights: {},
  risk: { level: 'low' as const, score: 0.05, reasons: [] },
  complete: true,
  recalledAt: '2026-11-25T06:00:00.000Z',
});

function environment() {
  const log = capturingLogger();
  const counters = new PluginCounters();
  const recorded: Outcome[] = [];
  const interceptor = (ctx: ConstructorParameters<typeof ActivityMemoryInterceptor>[0]) =>
    new ActivityMemoryInterceptor(
      ctx,
      {
        keyExtractor: new ActivityKeyExtractor([], log.logger, counters),
        recall: { recall: () => Promise.resolve(RECALLED) },
        recorder: { record: (outcome) => Promise.resolve(void recorded.push(outcome)) },
        capture: { args: false, result: false, redactKeys: DEFAULT_REDACTED_KEYS, maxChars: 1000 },
        logger: log.logger,
        counters,
        refusedHandlingLog: new ThrottledLog(log.logger, { intervalMs: 60_000 }),
      },
      undefined,
    );
  const env = new MockActivityEnvironment(
    { activityType: 'chargeCard' },
    { interceptors: [(ctx) => ({ inbound: interceptor(ctx) })] },
  );
  return { env, recorded, log, counters };
}

describe('recordHandling inside an attempt', () => {
  it('labels the outcome with the last label, trimmed and on one line', async () => {
    const { env, recorded } = environment();
    const result = await env.run(async () => {
      recordHandling('primary');
      await new Promise((resolve) => setTimeout(resolve, 1));
      recordHandling('  backup\n gateway \t');
      return recalledContext();
    });
    expect(result).toBe(RECALLED);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ status: 'completed', handling: 'backup gateway' });
  });

  it('labels a failed attempt too, and cuts a long label to 100 characters', async () => {
    const { env, recorded } = environment();
    await expect(
      env.run(async () => {
        recordHandling(`retry-${'x'.repeat(200)}`);
        throw new Error('declined');
      }),
    ).rejects.toThrow('declined');
    expect(recorded[0]?.status).toBe('failed');
    expect(recorded[0]?.handling).toHaveLength(MAX_HANDLING_LENGTH);
  });

  it('refuses an empty label: the earlier one stands, and the refusal is logged', async () => {
    const { env, recorded, log } = environment();
    await env.run(async () => {
      recordHandling('backup-gateway');
      recordHandling(' \n ');
      recordHandling(undefined as unknown as string);
    });
    expect(recorded[0]?.handling).toBe('backup-gateway');
    expect(log.at('warn', 'recordHandling() was given an empty label')).toEqual([
      expect.objectContaining({ activityType: 'chargeCard', label: 'undefined' }),
    ]);
  });

  it('leaves an attempt that labels nothing on the default path', async () => {
    const { env, recorded } = environment();
    await env.run(async () => 'ok');
    expect(recorded[0]).not.toHaveProperty('handling');
  });
});

describe('recordHandling outside an attempt', () => {
  it('does nothing and warns once per process', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      recordHandling('backup-gateway');
      recordHandling('backup-gateway');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('recordHandling() was called outside an activity attempt'),
        expect.objectContaining({ code: 'STOMPY_HANDLING_OUTSIDE_ATTEMPT' }),
      );
      expect(recalledContext()).toBeUndefined();
    } finally {
      warn.mockRestore();
    }
  });
});
