import { capturingLogger } from '../../../__tests__/helpers/capturing-logger';
import { knownBacklog } from '../../../__tests__/helpers/backlogs';
import type { KnownDeliveryBacklog } from '../delivery-backlog';
import { SlowDrainWarning } from '../slow-drain-warning';

// The warning that delivery does not keep up: when it fires, what it names, and that it is throttled.

function backlog(fields: Partial<KnownDeliveryBacklog>): KnownDeliveryBacklog {
  return knownBacklog({
    pending: 600,
    pendingBytes: 60_000,
    oldestAgeMs: 30_000,
    deliveredPerMinute: 30,
    estimatedDrainMs: 20 * 60_000,
    ...fields,
  });
}

function warning() {
  let now = 0;
  const log = capturingLogger();
  const slow = new SlowDrainWarning(log.logger, { now: () => now });
  return { slow, log, advance: (ms: number) => (now += ms) };
}

it('warns when the estimated drain is over 10 minutes, naming pending, rate and drain', () => {
  const { slow, log } = warning();
  slow.check(backlog({}));
  expect(log.at('warn', 'delivery is falling behind')).toHaveLength(1);
  expect(log.lines[0]).toMatchObject({
    msg: 'delivery is falling behind: 600 outcomes pending at 30 a minute, about 20 minutes to drain',
    pending: 600,
    deliveredPerMinute: 30,
    estimatedDrainSeconds: 1_200,
    slowChecks: 1,
  });
});

it('is quiet when delivery keeps up, when nothing is pending, and when the backlog is unknown', () => {
  const { slow, log } = warning();
  slow.check(backlog({ estimatedDrainMs: 9 * 60_000 }));
  slow.check(backlog({ pending: 0, estimatedDrainMs: 0 }));
  slow.check(backlog({ estimatedDrainMs: undefined, oldestAgeMs: 59_000 })); // not draining, but young
  slow.check({ known: false, reason: 'the memory thread did not answer' });
  expect(log.lines).toEqual([]);
});

it('warns when the outbox is not draining with outcomes older than a minute', () => {
  const { slow, log } = warning();
  slow.check(
    backlog({ estimatedDrainMs: undefined, deliveredPerMinute: 0, oldestAgeMs: 61_000, circuit: 'open' }),
  );
  expect(log.lines).toHaveLength(1);
  expect(log.lines[0]).toMatchObject({
    level: 40,
    msg: 'the outbox is not draining: 600 outcomes pending, none delivered in the last 5 minutes',
    pending: 600,
    deliveredPerMinute: 0,
    oldestAgeSeconds: 61,
    circuit: 'open',
  });
});

it('warns at most every 5 minutes, counting the checks in between', () => {
  const { slow, log, advance } = warning();
  for (let i = 0; i <= 30; i++) {
    slow.check(backlog({})); // the thread's reports, every 10 s for 5 minutes
    advance(10_000);
  }
  // The first at once; the next 5 minutes later, standing for the 30 checks since.
  expect(log.lines.map((l) => l.slowChecks)).toEqual([1, 30]);
});
