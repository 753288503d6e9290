import { CallBudget } from '../../support/call-budget';
import { chargeUnseenRequests, CONNECT_REQUESTS, leaveRoomForConnecting } from '../unseen-requests';

// The call budget counts what its gates do not see: the first connection is paid for by the room the
// budget keeps; every later connection (a reconnect, or failover to another server) costs
// CONNECT_REQUESTS more, and a call sent again to another server one more, all charged to delivery
// (which waits when refused), never to recall.

it('charges every connection after the first, and every call sent again, to delivery', () => {
  const budget = new CallBudget({ perMinute: 60, burstPer10s: 20 });
  const hooks = chargeUnseenRequests(budget);
  hooks.onConnected?.();
  expect(budget.usage().delivery.taken).toBe(0);
  hooks.onConnected?.();
  hooks.onResent?.();
  expect(budget.usage()).toEqual({
    recall: { taken: 0, refused: 0 },
    delivery: { taken: CONNECT_REQUESTS + 1, refused: 0 },
  });
  hooks.onConnected?.();
  expect(budget.usage().delivery.taken).toBe(2 * CONNECT_REQUESTS + 1);
});

it('counts nothing without a budget, and keeps room for the first connection in both windows', () => {
  expect(chargeUnseenRequests(undefined)).toEqual({});
  expect(leaveRoomForConnecting({ perMinute: 60, burstPer10s: 20, recallFloor: 0.5 })).toEqual({
    perMinute: 56,
    burstPer10s: 16,
    recallFloor: 0.5,
  });
});
