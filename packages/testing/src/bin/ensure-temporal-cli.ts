// `ensure-temporal-cli`: finds or builds the Temporal CLI before tests start, so a minutes-long Go build
// never runs inside a test timeout. Prints the binary's path on stdout, or nothing when
// @temporalio/testing is to download its own; exits 1 with the reason on stderr when it cannot be had.
import { temporalCliPath } from '../temporal-cli';

/** Runs the command; resolves the process exit code. */
export async function main(): Promise<number> {
  try {
    const path = await temporalCliPath();
    if (path !== undefined) process.stdout.write(`${path}\n`);
    else
      process.stderr.write('[temporal-cli] no binary and no Go: @temporalio/testing will download the CLI\n');
    return 0;
  } catch (error) {
    process.stderr.write(`[temporal-cli] ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
