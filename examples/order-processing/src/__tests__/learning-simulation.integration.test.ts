import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { parseDemoOptions } from '../simulation/demo-options';
import { runLearningDemo } from '../simulation/learning-demo';
import { formatFigures } from '../simulation/simulation-report';

// The demo's simulation, small, as CI runs it: the product page's OrderWorkflow on a real dev server
// with the plugin's embedded memory, four weeks of business in which four failures keep happening,
// run without memory and with it. A small run learns less than the demo's six weeks (its warm-up is
// shorter), so this checks that the memory learns and helps, not the demo's targets.

let env: TestWorkflowEnvironment;
let dir: string;

beforeAll(async () => {
  env = await startTestEnvironment();
  dir = mkdtempSync(join(tmpdir(), 'learning-simulation-'));
}, 120_000);

afterAll(async () => {
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

it('learns the injected patterns, steers around them and saves orders', async () => {
  const { simulation } = parseDemoOptions([
    ...['--weeks', '4', '--orders-per-hour', '1', '--warm-up-weeks', '2', '--new-build-at-week', '3'],
  ]);
  const { figures } = await runLearningDemo({
    env,
    options: simulation,
    logger: pino({ level: 'silent' }),
    memoryDbPath: join(dir, 'memory.db'),
    outboxPath: join(dir, 'outbox.db'),
  });
  expect(figures.orders).toBeGreaterThan(600);
  // What it called high risk was (almost always) inside an injected pattern, and it caught many.
  expect(figures.precision).toBeGreaterThanOrEqual(0.8);
  expect(figures.recall).toBeGreaterThanOrEqual(0.5);
  expect(figures.failedWith).toBeLessThan(figures.failedWithout);
  // Flagged (how soon depends on how many orders were under way when the evidence arrived).
  expect(figures.regressionFlaggedAfter).toBeDefined();
  expect(figures.topReasons.map((r) => r.reason).join('\n')).toMatch(
    /since build 2026\.11\.3, shipOrder fails/,
  );
  expect(formatFigures(figures, simulation)[1]).toMatch(
    /^Risk "high" against the attempts inside an injected pattern: precision/,
  );
}, 240_000);

it('refuses flags it does not know, saying which exist', () => {
  expect(() => parseDemoOptions(['--weeks', 'many'])).toThrow(/bad flag --weeks; flags: --seed <n>/);
  expect(() => parseDemoOptions(['--weeks', '2'])).toThrow('--weeks must be more than --warm-up-weeks');
});

it('records and ends by default; --no-record and --keep-running say otherwise', () => {
  expect(parseDemoOptions([])).toMatchObject({ record: true, keepRunning: false });
  expect(parseDemoOptions(['--keep-running', '--no-record'])).toMatchObject({
    record: false,
    keepRunning: true,
  });
});
