import type { MetricCounter, MetricMeter } from '@temporalio/common';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { metricName, PluginCounters } from '../plugin-counters';

// Counters are kept as numbers and mirrored to Temporal's metric meter; a meter that fails never
// stops the counting.

/** A metric meter that keeps what was added to each counter it made. */
function recordingMeter() {
  const added = new Map<string, number[]>();
  const made: { name: string; unit?: string; description?: string }[] = [];
  const meter = {
    createCounter(name: string, unit?: string, description?: string): MetricCounter {
      made.push({ name, unit, description });
      return {
        add: (value: number) => void added.set(name, [...(added.get(name) ?? []), value]),
      } as unknown as MetricCounter;
    },
  } as unknown as MetricMeter;
  return { meter, added, made };
}

it('names metrics after the counters, in snake case under stompy_', () => {
  expect(metricName('outcomesQueued')).toBe('stompy_outcomes_queued');
  expect(metricName('recallsOverBudget')).toBe('stompy_recalls_over_budget');
});

it('mirrors every add to one counter per name on the meter, made when first needed', () => {
  const { meter, added, made } = recordingMeter();
  let resolved = 0;
  const counters = new PluginCounters({ meter: () => (resolved++, meter), logger: capturingLogger().logger });
  expect(resolved).toBe(0);
  counters.add('outcomesQueued');
  counters.add('outcomesQueued', 3);
  counters.add('recallsFailed');
  expect(counters.snapshot()).toMatchObject({ outcomesQueued: 4, recallsFailed: 1 });
  expect(Object.fromEntries(added)).toEqual({
    stompy_outcomes_queued: [1, 3],
    stompy_recalls_failed: [1],
  });
  expect(made).toEqual([
    { name: 'stompy_outcomes_queued', unit: '1', description: 'Outcomes accepted into the outbox' },
    { name: 'stompy_recalls_failed', unit: '1', description: 'Recalls that failed' },
  ]);
});

it('keeps counting when the meter fails, and says so once', () => {
  const { logger, lines } = capturingLogger();
  const counters = new PluginCounters({
    meter: () => {
      throw new Error('Runtime is shutting down');
    },
    logger,
  });
  for (let i = 0; i < 5; i++) counters.add('outcomesDelivered');
  expect(counters.snapshot().outcomesDelivered).toBe(5);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    level: 40,
    counter: 'outcomesDelivered',
    err: { message: 'Runtime is shutting down' },
  });
});

it('counts without metrics when none are given', () => {
  const counters = new PluginCounters();
  counters.add('ruleErrors', 2);
  expect(counters.snapshot().ruleErrors).toBe(2);
});
