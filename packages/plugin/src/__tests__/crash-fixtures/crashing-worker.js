// A worker process with the plugin, for the crash test: it runs BurstWorkflow's activities until the
// test kills it with SIGKILL. It loads the plugin's build, as a user's worker would load the package.
'use strict';
const { NativeConnection, Worker } = require('@temporalio/worker');
const pino = require('pino');
const { StompyPlugin } = require(process.env.STOMPY_PLUGIN);

(async () => {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.TASK_QUEUE,
    workflowsPath: process.env.WORKFLOWS_PATH,
    activities: { step: async (n) => n },
    plugins: [
      new StompyPlugin({
        // A memory server nobody answers on: every outcome stays in the outbox.
        memory: { url: 'http://127.0.0.1:9/mcp', timeoutMs: 1_000 },
        outbox: { path: process.env.OUTBOX_PATH },
        rules: [{ workflow: 'BurstWorkflow', entities: { burst: 'args.0' } }],
        logger: pino({ level: 'silent' }),
      }),
    ],
  });
  process.stdout.write('ready\n');
  await worker.run();
})().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exit(1);
});
