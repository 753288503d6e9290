/**
 * The README's main command: the product page's order workflow on a real Temporal dev server, with
 * StompyPlugin on its embedded defaults, through weeks of simulated business in which four failures
 * keep happening. It runs the same seeded orders without memory and with it, and prints how well the
 * memory predicted the failures, how many orders it saved, what it learned and when it caught the
 * bad build. Flags: see `simulation/demo-options.ts` (`--weeks`, `--orders-per-hour`, `--seed`, `--no-record`).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { startTestEnvironment } from '@temporal-stompy/testing';
import { parseDemoOptions } from './simulation/demo-options';
import { runLearningDemo } from './simulation/learning-demo';
import { recordFigures } from './simulation/record-figures';
import { formatFigures } from './simulation/simulation-report';

const LOG_FILE = '.stompy/demo.log';

/** The plugin's logger for the demo: pino at info, into {@link LOG_FILE}, so the output stays a report. */
function demoLogger(): pino.Logger {
  mkdirSync(dirname(LOG_FILE), { recursive: true });
  return pino(
    { name: 'stompy', level: 'info' },
    pino.destination({ dest: LOG_FILE, append: true, sync: true }),
  );
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  const options = parseDemoOptions(process.argv.slice(2));
  console.log(
    'Starting a Temporal dev server (the first run may build the Temporal CLI from Go: a few minutes)...',
  );
  const env = await startTestEnvironment({ runtimeLogLevel: 'ERROR' });
  try {
    const { simulation } = options;
    console.log(
      `Simulating ${simulation.weeks} weeks of orders (about ${Math.round(simulation.weeks * 168 * simulation.ordersPerHour)}), ` +
        'first with the memory off, then with it.',
    );
    let shown = '';
    const { figures, projects } = await runLearningDemo({
      env,
      options: simulation,
      logger: demoLogger(),
      progress: (phase, done, total) => {
        const line = `  ${phase === 'with' ? 'with memory   ' : 'without memory'}: ${Math.floor((100 * done) / total)}%`;
        if (line !== shown && (done === total || done % 100 === 0)) console.log((shown = line));
      },
    });
    const seconds = Math.round((Date.now() - startedMs) / 1000);
    const lines = [
      ...formatFigures(figures, simulation),
      `Ran in ${seconds} s, the dev server's start included (target for the defaults: under 3 minutes on 2 cores).`,
    ];
    console.log(`\n${lines.join('\n')}`);
    if (options.record) {
      const file = recordFigures(lines, `corepack pnpm demo ${process.argv.slice(2).join(' ')}`.trim());
      if (file) console.log(`\nRecorded in ${file}.`);
    }
    console.log(
      `\nLook inside: corepack pnpm exec stompy-memory inspect --db .stompy/memory.db --project ${projects.with} --search "GatewayTimeout"`,
    );
    console.log(`The plugin's log: ${LOG_FILE}`);
  } finally {
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
