/**
 * Polls `condition` every 10 ms until it holds; fails, naming `what`, after `timeoutMs`. Tests wait
 * for the state they need this way rather than sleeping for a guessed time.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
