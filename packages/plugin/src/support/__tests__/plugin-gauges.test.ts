import type { MetricGauge, MetricMeter } from '@temporalio/common';
import { knownBacklog } from '../../__tests__/helpers/backlogs';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { backlogGauges } from '../../recording/delivery/delivery-backlog';
import { PluginCounters } from '../plugin-counters';

// The backlog gauges on Temporal's metric meter: made once per name, set to the latest value, -1
// drain seconds when the outbox is not draining; a meter that fails never throws into the caller.

function recordingMeter() {
  const values = new Map<string, number[]>();
  const made: { name: string; type?: string; unit?: string }[] = [];
  const meter = {
    createGauge(name: string, type?: string, unit?: string): MetricGauge {
      made.push({ name, type, unit });
      return {
        set: (value: number) => void values.set(name, [...(values.get(name) ?? []), value]),
      } as unknown as MetricGauge;
    },
  } as unknown as MetricMeter;
  return { meter, values, made };
}

const backlog = knownBacklog({
  pending: 120,
  pendingBytes: 12_000,
  oldestAgeMs: 90_000,
  deliveredPerMinute: 60,
  estimatedDrainMs: 120_000,
});

it('sets stompy_outbox_pending and stompy_outbox_drain_seconds, made once each', () => {
  const { meter, values, made } = recordingMeter();
  const counters = new PluginCounters({ meter: () => meter, logger: capturingLogger().logger });
  for (const b of [backlog, { ...backlog, pending: 5, estimatedDrainMs: undefined }]) {
    for (const [name, value] of Object.entries(backlogGauges(b)))
      counters.setGauge(name as 'outboxPending', value);
  }
  expect(made).toEqual([
    { name: 'stompy_outbox_pending', type: 'int', unit: '1' },
    { name: 'stompy_outbox_drain_seconds', type: 'float', unit: 's' },
  ]);
  expect(Object.fromEntries(values)).toEqual({
    stompy_outbox_pending: [120, 5],
    stompy_outbox_drain_seconds: [120, -1],
  });
});

it('sets nothing without metrics, ignores values that are not finite, and logs a failing meter once', () => {
  new PluginCounters().setGauge('outboxPending', 3); // no meter: nothing to do, no throw
  const { meter, values } = recordingMeter();
  const counters = new PluginCounters({ meter: () => meter, logger: capturingLogger().logger });
  counters.setGauge('outboxDrainSeconds', Number.NaN);
  expect(values.size).toBe(0);

  const log = capturingLogger();
  const failing = new PluginCounters({
    meter: () => {
      throw new Error('Runtime is shutting down');
    },
    logger: log.logger,
  });
  failing.setGauge('outboxPending', 1);
  failing.setGauge('outboxPending', 2);
  failing.add('outcomesQueued');
  expect(failing.snapshot().outcomesQueued).toBe(1);
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toMatchObject({ level: 40, counter: 'outboxPending' });
});
