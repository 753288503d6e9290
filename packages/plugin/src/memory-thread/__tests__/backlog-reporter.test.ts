import { knownBacklog } from '../../__tests__/helpers/backlogs';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { waitFor } from '../../__tests__/helpers/wait-for';
import type { DeliveryBacklog, KnownDeliveryBacklog } from '../../recording/delivery/delivery-backlog';
import { BacklogReporter } from '../backlog-reporter';

// The thread's periodic backlog report: at start and every interval, only known backlogs, and a
// reader that throws is logged and does not stop the reports.

const known = knownBacklog({
  pending: 3,
  pendingBytes: 300,
  oldestAgeMs: 1_000,
  deliveredPerMinute: 60,
  estimatedDrainMs: 3_000,
});

it('reports at start and every interval until stopped', async () => {
  const reported: KnownDeliveryBacklog[] = [];
  const reporter = new BacklogReporter({
    read: () => known,
    report: (b) => reported.push(b),
    logger: capturingLogger().logger,
    intervalMs: 10,
  });
  reporter.start();
  reporter.start(); // idempotent
  expect(reported).toHaveLength(1);
  await waitFor(() => reported.length >= 3);
  reporter.stop();
  const count = reported.length;
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(reported.length).toBe(count);
});

it('skips unknown backlogs, and logs a reader that throws without stopping', async () => {
  const log = capturingLogger();
  const reported: KnownDeliveryBacklog[] = [];
  const answers: (() => DeliveryBacklog)[] = [
    () => ({ known: false, reason: 'the outbox could not be read' }),
    () => {
      throw new Error('boom');
    },
  ];
  const reporter = new BacklogReporter({
    read: () => (answers.shift() ?? (() => known))(),
    report: (b) => reported.push(b),
    logger: log.logger,
    intervalMs: 10,
  });
  reporter.start();
  try {
    await waitFor(() => reported.length >= 1);
    expect(log.at('warn', 'could not report the outbox backlog')).toHaveLength(1);
    expect(reported[0]).toEqual(known);
  } finally {
    reporter.stop();
  }
});
