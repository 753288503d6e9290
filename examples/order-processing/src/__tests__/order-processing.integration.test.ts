import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContextStore, resolveConfig } from '@temporal-stompy/memory-server';
import { StompyPlugin } from '@temporal-stompy/plugin';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import type { Order, OrderResult } from '../order';
import { PaymentGateways } from '../payment-gateways';
import { createOrderWorker, ORDER_RULES, TASK_QUEUE } from '../worker';

// The example as CI runs it: the unchanged order workflow on a real dev server, the plugin on its
// embedded memory server (a real SQLite file), and the one activity that reads memory.

let env: TestWorkflowEnvironment;
let dir: string;

beforeAll(async () => {
  env = await startTestEnvironment();
  dir = mkdtempSync(join(tmpdir(), 'order-example-'));
}, 120_000);

afterAll(async () => {
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

it('records every run and attempt, and routes a customer around a gateway that failed them before', async () => {
  const plugin = new StompyPlugin({
    rules: ORDER_RULES,
    memory: { dbPath: join(dir, 'memory.db') },
    outbox: { path: join(dir, 'outbox.db') },
    logger: pino({ level: 'silent' }),
  });
  const gateways = new PaymentGateways(new Set(['C9']));
  const worker = await createOrderWorker(env.nativeConnection, { gateways }, plugin);
  const run = (orderId: string, customerId: string): Promise<OrderResult> => {
    const order: Order = { orderId, customerId, amountCents: 2500, items: ['book'] };
    return env.client.workflow.execute('OrderWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: orderId,
      args: [order],
    });
  };
  const [first, second, other] = await worker.runUntil(async () => [
    await run('o-1', 'C9'),
    await run('o-2', 'C9'),
    await run('o-3', 'C1'),
  ]);

  // First order: attempt 1 on the primary gateway times out; attempt 2 already sees it in memory.
  expect(first).toMatchObject({ status: 'confirmed', gateway: 'backup', paymentAttempts: 2 });
  // Second order for the same customer: memory sends it to the backup on the first attempt.
  expect(second).toMatchObject({ status: 'confirmed', gateway: 'backup', paymentAttempts: 1 });
  // Another customer is not affected by C9's history.
  expect(other).toMatchObject({ status: 'confirmed', gateway: 'primary', paymentAttempts: 1 });
  expect(gateways.charges.map((c) => c.gateway)).toEqual(['backup', 'backup', 'primary']);

  // Worker shutdown flushed the outbox: 3 workflow runs and 13 activity attempts (4 + 1 retry, 4, 4).
  const counters = plugin.counters();
  expect(counters).toMatchObject({
    outcomesQueued: 16,
    outcomesDelivered: 16,
    outcomesDropped: 0,
    internalErrors: 0,
  });
  const store = openContextStore(
    resolveConfig({ dbPath: join(dir, 'memory.db'), logger: pino({ level: 'silent' }) }),
  );
  try {
    const runs = await store.search({ query: '', tags: ['workflow-outcome'], limit: 100 });
    expect(runs.total_found).toBe(3);
    const c9Timeouts = await store.search({
      query: 'GatewayTimeout',
      tags: ['customer:C9', 'issue:GatewayTimeout'],
      limit: 100,
    });
    expect(c9Timeouts.total_found).toBe(1);
    expect(c9Timeouts.results[0]?.content).toContain('Activity: chargePayment, attempt 1');
  } finally {
    await store.close();
  }
});
