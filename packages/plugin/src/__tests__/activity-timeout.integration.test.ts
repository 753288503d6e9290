import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  startHttpServer,
  type RunningHttpServer,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { StompyPlugin } from '../index';
import * as activities from './timeout-fixtures/activities';

// An attempt that overruns its timeout is recorded as timed out (as the worker sees it: Temporal
// cancels it with the timed-out flag), and the plugin reaches a memory server that requires a
// bearer token.

const silent = pino({ level: 'silent' });
const TOKEN = 'plugin-token-1e4';
let env: TestWorkflowEnvironment;
let dir: string;
let deps: StompyServerDeps;
let server: RunningHttpServer;

beforeAll(async () => {
  env = await startTestEnvironment();
  dir = mkdtempSync(join(tmpdir(), 'activity-timeout-'));
  deps = createServerDeps(resolveConfig({ dbPath: join(dir, 'memory.db'), logger: silent }));
  server = await startHttpServer({
    createMcpServer: () => createStompyServer(deps),
    logger: silent,
    token: TOKEN,
  });
}, 120_000);
afterAll(async () => {
  await server?.close();
  deps?.store.close();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

it('records a local activity attempt that overran its timeout as timed_out, through a token-protected server', async () => {
  const plugin = new StompyPlugin({
    memory: { url: `${server.url}/mcp`, token: TOKEN },
    outbox: { path: join(dir, 'outbox.db') },
    logger: silent,
  });
  const taskQueue = 'activity-timeout';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./timeout-fixtures/workflows'),
    activities,
    plugins: [plugin],
  });
  const result: string = await worker.runUntil(
    env.client.workflow.execute<() => Promise<string>>('TimeoutWorkflow', {
      taskQueue,
      workflowId: 'timeout-1',
    }),
  );
  expect(result).toBe('done on attempt 2');
  const attempts = deps.store.search({ query: '', tags: ['activity:slowOnce'], limit: 10 }).results;
  expect(attempts.map((a) => a.metadata.tags.find((t) => t.startsWith('status:'))).sort()).toEqual([
    'status:completed',
    'status:timed_out',
  ]);
  expect(plugin.counters()).toMatchObject({ outcomesQueued: 3, outcomesDelivered: 3, internalErrors: 0 });
});
