/**
 * The README's main command: a real Temporal dev server, the order worker with StompyPlugin on the
 * embedded defaults (memory in `.stompy/memory.db`), and a handful of orders. Customer C9's bank is
 * unreachable through the primary payment gateway. The same orders run first on the worker as it was
 * before memory, then with the plugin, and the demo prints what changed and what memory now holds.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { StompyPlugin } from '@temporal-stompy/plugin';
import { startTestEnvironment } from '@temporal-stompy/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import type { Order, OrderResult } from './order';
import { PaymentGateways } from './payment-gateways';
import { ORDER_RULES, TASK_QUEUE } from './worker';

const CUSTOMERS = ['C1', 'C9', 'C2', 'C9', 'C1', 'C9'];
const LOG_FILE = '.stompy/demo.log';

/** The plugin's logger for the demo: pino at info, appending to {@link LOG_FILE}. */
function demoLogger(): pino.Logger {
  mkdirSync(dirname(LOG_FILE), { recursive: true });
  return pino(
    { name: 'stompy', level: 'info' },
    pino.destination({ dest: LOG_FILE, append: true, sync: true }),
  );
}

async function main(): Promise<void> {
  console.log(
    'Starting a Temporal dev server (the first run may build the Temporal CLI from Go: a few minutes)...',
  );
  const env = await startTestEnvironment({ runtimeLogLevel: 'ERROR' });
  try {
    const batch = randomUUID().slice(0, 8);
    console.log('\n1. The order worker as it was: no memory.');
    const before = await runOrders(env, batch, 'before', undefined);
    console.log('\n2. The same worker with one more line: plugins: [new StompyPlugin({ rules })].');
    // The plugin's log goes to a file, so this output stays a report; warnings would show there.
    const plugin = new StompyPlugin({ rules: ORDER_RULES, shutdownFlushMs: 10_000, logger: demoLogger() });
    const after = await runOrders(env, batch, 'after', plugin);
    const counters = plugin.counters();
    console.log('\nWhat changed:');
    console.log(`  without memory: ${confirmed(before)}/${before.length} orders confirmed`);
    console.log(`  with memory:    ${confirmed(after)}/${after.length} orders confirmed`);
    console.log(
      `\nMemory (.stompy/memory.db): ${counters.outcomesDelivered} outcomes delivered, ${counters.outcomesQueued} queued, ` +
        `${counters.recallsServed} recalls served, ${counters.outcomesDropped} dropped.`,
    );
    console.log(
      'Look inside: corepack pnpm exec stompy-memory inspect --db .stompy/memory.db --search "GatewayTimeout C9"',
    );
    console.log(`The plugin's log: ${LOG_FILE}`);
  } finally {
    await env.teardown();
  }
}

async function runOrders(
  env: Awaited<ReturnType<typeof startTestEnvironment>>,
  batch: string,
  phase: string,
  plugin: StompyPlugin | undefined,
): Promise<(OrderResult | Error)[]> {
  const gateways = new PaymentGateways(new Set(['C9']));
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: `${TASK_QUEUE}-${phase}`,
    workflowsPath: require.resolve('./workflows'),
    activities: createActivities({ gateways }),
    ...(plugin ? { plugins: [plugin] } : {}),
  });
  return worker.runUntil(async () => {
    const results: (OrderResult | Error)[] = [];
    for (const [i, customerId] of CUSTOMERS.entries()) {
      const order: Order = {
        orderId: `${phase}-${batch}-${i + 1}`,
        customerId,
        amountCents: 1999 + i,
        items: ['book'],
      };
      const result = await env.client.workflow
        .execute('OrderWorkflow', {
          taskQueue: `${TASK_QUEUE}-${phase}`,
          workflowId: order.orderId,
          args: [order],
        })
        .then(
          (r) => r as OrderResult,
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        );
      results.push(result);
      console.log(`  order ${i + 1} for ${customerId}: ${describe(result)}`);
    }
    return results;
  });
}

function describe(result: OrderResult | Error): string {
  if (result instanceof Error) return `FAILED: ${rootMessage(result)}`;
  return `confirmed via ${result.gateway} gateway on payment attempt ${result.paymentAttempts} (${result.reason})`;
}

function rootMessage(error: Error): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

function confirmed(results: (OrderResult | Error)[]): number {
  return results.filter((r) => !(r instanceof Error)).length;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
