// Nothing acknowledged is lost to a crash: a worker with the plugin is killed with SIGKILL right
// after a burst of workflows completed. Every run Temporal saw complete, and every attempt of it, has
// its outcome in the outbox file: a result reaches Temporal only once its outcome is committed.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readOutboxNotes } from './helpers/outbox-file';
import { useTestbed } from './helpers/testbed';

const WORKFLOWS = 40;
const PLUGIN_ROOT = join(__dirname, '..', '..');

const bed = useTestbed('crash-durability');

/** Starts the worker process and resolves once it polls. */
function startWorker(taskQueue: string, outboxPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(__dirname, 'crash-fixtures', 'crashing-worker.js')], {
    cwd: PLUGIN_ROOT,
    env: {
      ...process.env,
      STOMPY_PLUGIN: join(PLUGIN_ROOT, 'dist', 'index.js'),
      TEMPORAL_ADDRESS: bed.env.address,
      TASK_QUEUE: taskQueue,
      WORKFLOWS_PATH: join(__dirname, 'crash-fixtures', 'workflows.ts'),
      OUTBOX_PATH: outboxPath,
      NODE_PATH: join(PLUGIN_ROOT, 'node_modules'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) =>
      reject(new Error(`the worker exited with ${String(code)} before it was ready`)),
    );
  });
}

it('keeps every outcome Temporal acknowledged when the worker is killed right after a burst', async () => {
  const taskQueue = 'crash-burst';
  const outboxPath = bed.file('crash-outbox.db');
  const worker = await startWorker(taskQueue, outboxPath);
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const handles = await Promise.all(
    Array.from({ length: WORKFLOWS }, (_, i) =>
      bed.env.client.workflow.start('BurstWorkflow', {
        taskQueue,
        workflowId: `burst-${i}`,
        args: [`b${i}`],
      }),
    ),
  );
  // Kill the worker the moment half the runs completed: the others are mid-flight.
  const completed = new Set<string>();
  let killed!: () => void;
  const killedNow = new Promise<void>((resolve) => (killed = resolve));
  const results = handles.map((handle) =>
    handle.result().then(
      () => {
        completed.add(handle.workflowId);
        if (completed.size === WORKFLOWS / 2) {
          worker.kill('SIGKILL');
          killed();
        }
      },
      () => undefined,
    ),
  );
  await killedNow;
  const acknowledged = [...completed];
  await exited;
  // The runs left behind have no worker: end them, so nothing polls once the test is over.
  await Promise.all(
    handles.filter((h) => !completed.has(h.workflowId)).map((h) => h.terminate().catch(() => undefined)),
  );
  await Promise.all(results);

  const notes = readOutboxNotes(outboxPath);
  for (const workflowId of acknowledged) {
    const mine = notes.filter((note) => note.includes(`(${workflowId}, run `));
    expect({ workflowId, runs: mine.filter((n) => !n.includes('\nActivity: ')).length }).toEqual({
      workflowId,
      runs: 1,
    });
    expect({ workflowId, attempts: mine.filter((n) => n.includes('\nActivity: step')).length }).toEqual({
      workflowId,
      attempts: 3,
    });
  }
  expect(acknowledged.length).toBeGreaterThanOrEqual(WORKFLOWS / 2);
}, 120_000);
