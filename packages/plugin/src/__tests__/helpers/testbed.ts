import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEnvironment } from '@temporal-stompy/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';

/** A logger that writes nothing, for plugins and servers whose logs a test does not read. */
export const silentLogger = pino({ level: 'silent' });

/** A real Temporal dev server and a temp folder, for one integration test file. */
export interface Testbed {
  readonly env: TestWorkflowEnvironment;
  /** A path in the test file's temp folder. */
  file(name: string): string;
  close(): Promise<void>;
}

/** Starts a dev server and makes a temp folder; call in `beforeAll`, close in `afterAll`. */
export async function openTestbed(
  name: string,
  options: Parameters<typeof startTestEnvironment>[0] = {},
): Promise<Testbed> {
  const env = await startTestEnvironment(options);
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  return {
    env,
    file: (file) => join(dir, file),
    close: async () => {
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
