import type { CallBudgetSettings } from '../options/resolve-call-budget';
import type { CallBudget } from '../support/call-budget';
import type { MemoryHooks } from './thread-memory';

/**
 * Requests a new connection makes that no call gate sees: `initialize`, its notification, the GET
 * that opens the server's event stream (the MCP client sends it after the notification), `tools/list`.
 */
export const CONNECT_REQUESTS = 4;

/**
 * The caps the budget enforces: the plan's, less what connecting takes, since hosted Stompy counts
 * every request and a connection's first requests pass no gate. At least one call either way.
 */
export function leaveRoomForConnecting(settings: CallBudgetSettings): CallBudgetSettings {
  const burstPer10s = Math.max(1, settings.burstPer10s - CONNECT_REQUESTS);
  return {
    ...settings,
    perMinute: Math.max(burstPer10s, settings.perMinute - CONNECT_REQUESTS),
    burstPer10s,
  };
}

/**
 * Charges the call budget for the requests its gates do not see after the first connection (whose
 * requests the room {@link leaveRoomForConnecting} keeps pays for): {@link CONNECT_REQUESTS} for each
 * later connection (a reconnect to the same server, or failover to another), one for each call sent
 * again to another server. They are charged to delivery, which waits when refused, never to recall;
 * a connection counted twice (by the room and here) errs on the side of fewer calls, never a 429.
 * Without a budget (no `memory.maxCallsPerMinute`) nothing is counted.
 */
export function chargeUnseenRequests(budget: CallBudget | undefined): MemoryHooks {
  if (!budget) return {};
  const delivery = budget.gate('delivery');
  const charge = (requests: number): void => {
    const now = Date.now();
    for (let i = 0; i < requests; i++) delivery.take(now);
  };
  let connections = 0;
  return {
    onConnected: () => {
      connections += 1;
      if (connections > 1) charge(CONNECT_REQUESTS);
    },
    onResent: () => charge(1),
  };
}
