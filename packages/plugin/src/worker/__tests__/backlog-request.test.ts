import { knownBacklog } from '../../__tests__/helpers/backlogs';
import { capturingLogger } from '../../__tests__/helpers/capturing-logger';
import { StompyUnavailableError } from '../../mcp/stompy-errors';
import type { DeliveryBacklog } from '../../recording/delivery/delivery-backlog';
import { awaitBacklog } from '../backlog-request';

// StompyPlugin.backlog() fails open: the memory thread's answer, or "unknown" with the reason when it
// does not come in time or the request fails; never a rejection, always a warning.

const answer = knownBacklog();

it('passes the answer on', async () => {
  const log = capturingLogger();
  expect(await awaitBacklog(Promise.resolve(answer), 1_000, log.logger)).toEqual(answer);
  expect(log.lines).toEqual([]);
});

it('says unknown when the thread does not answer in time, and logs it', async () => {
  const log = capturingLogger();
  let late: (value: DeliveryBacklog) => void = () => undefined;
  const asked = new Promise<DeliveryBacklog>((resolve) => (late = resolve));
  const started = Date.now();
  expect(await awaitBacklog(asked, 50, log.logger)).toEqual({
    known: false,
    reason: 'the memory thread did not answer within 50 ms',
  });
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(log.at('warn', 'did not report the backlog in time')).toHaveLength(1);
  late(answer); // a late answer goes nowhere
});

it('says unknown when the request fails (the thread is down), and logs it', async () => {
  const log = capturingLogger();
  const asked = Promise.reject(new StompyUnavailableError('backlog', 'the memory thread is not running'));
  expect(await awaitBacklog(asked, 1_000, log.logger)).toEqual({
    known: false,
    reason:
      'the memory thread did not answer: backlog: memory server unavailable: the memory thread is not running',
  });
  expect(log.at('warn', 'could not read the backlog')).toHaveLength(1);
});

it('does not leave a rejection unhandled when the request fails after the time ran out', async () => {
  let fail: (error: Error) => void = () => undefined;
  const asked = new Promise<DeliveryBacklog>((_, reject) => (fail = reject));
  expect(await awaitBacklog(asked, 10, capturingLogger().logger)).toMatchObject({ known: false });
  fail(new Error('the memory thread exited (code 1)'));
  await new Promise((resolve) => setTimeout(resolve, 10)); // jest fails the test on an unhandled rejection
});
