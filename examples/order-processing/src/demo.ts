/**
 * The README's main command: the product page's order workflow on a real Temporal dev server, with
 * StompyPlugin on its embedded defaults, through weeks of simulated business in which four failures
 * keep happening. It runs the same seeded orders without memory and with it, and prints how well the
 * memory predicted the failures, how many orders it saved, what it learned and when it caught the
 * bad build, and where its web page shows what the memory learned. Flags: see
 * `simulation/demo-options.ts` (`--weeks`, `--orders-per-hour`, `--seed`, `--no-record`, `--keep-running`).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { startTestEnvironment } from '@temporal-stompy/testing';
import { DEMO_PAGE_PORT, demoPageUrl, freePort, interrupted, serveDemoPage } from './demo-page';
import { parseDemoOptions } from './simulation/demo-options';
import { runLearningDemo } from './simulation/learning-demo';
import { recordFigures } from './simulation/record-figures';
import { formatFigures } from './simulation/simulation-report';

const LOG_FILE = '.stompy/demo.log';
/** The plugin's embedded memory file: where both runs' outcomes are. */
const MEMORY_FILE = '.stompy/memory.db';

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
  // With --keep-running, the dev server serves its Web UI too, for the page's links to runs.
  const uiPort = options.keepRunning ? await freePort(8233) : undefined;
  const env = await startTestEnvironment({
    runtimeLogLevel: 'ERROR',
    ...(uiPort === undefined ? {} : { server: { ui: true, uiPort } }),
  });
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
    console.log(`The plugin's log: ${LOG_FILE}`);
    if (uiPort === undefined) {
      const page = demoPageUrl(`http://127.0.0.1:${DEMO_PAGE_PORT}`, projects.with, 'activity:chargePayment');
      console.log(
        `\nSee what the memory learned (heat maps, entities, version health, search):\n` +
          `  corepack pnpm exec stompy-memory ui --db ${MEMORY_FILE}\n  then open ${page}\n` +
          'Or run the demo with --keep-running: the dev server, its Temporal Web UI and the page stay up until Ctrl-C.',
      );
      return;
    }
    const temporalUi = `http://127.0.0.1:${uiPort}`;
    const page = await serveDemoPage(MEMORY_FILE, temporalUi);
    try {
      console.log(
        `\nWhat the memory learned: ${demoPageUrl(page.url, projects.with)}\n` +
          `  the payment gateway's pattern: ${demoPageUrl(page.url, projects.with, 'activity:chargePayment')}\n` +
          `  version health: ${page.url}/versions?project=${encodeURIComponent(projects.with)}\n` +
          `Temporal Web UI (the runs behind every outcome): ${temporalUi}\n` +
          'Running until Ctrl-C.',
      );
      await interrupted();
    } finally {
      await page.close();
    }
  } finally {
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
