// Jest globalSetup for every project that runs a Temporal dev server: finds or builds the Temporal CLI
// once, before any test starts (a cold Go build takes minutes, far beyond a test timeout), and hands
// its path to the test workers through TEMPORAL_CLI_PATH, which `temporalCliPath()` reads first.
'use strict';
const path = require('node:path');

module.exports = async function temporalGlobalSetup() {
  let cli;
  try {
    cli = require(path.join(__dirname, 'dist', 'temporal-cli.js'));
  } catch (error) {
    throw new Error(
      `@temporal-stompy/testing is not built (${error.message}); run \`corepack pnpm install\` or \`corepack pnpm build\``,
    );
  }
  const started = Date.now();
  const binary = await cli.temporalCliPath();
  if (binary !== undefined) {
    process.env.TEMPORAL_CLI_PATH = binary;
    const seconds = (Date.now() - started) / 1000;
    if (seconds > 5) process.stderr.write(`\n[temporal-cli] ready in ${seconds.toFixed(0)} s: ${binary}\n`);
  }
};
