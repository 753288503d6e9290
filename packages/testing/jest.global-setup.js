// Jest globalSetup for every project that runs a Temporal dev server: builds the workspace (the
// plugin's memory thread runs compiled code, so its build must match the sources under test), then
// finds or builds the Temporal CLI once, before any test starts (a cold Go build takes minutes, far
// beyond a test timeout), and hands its path to the test workers through TEMPORAL_CLI_PATH, which
// `temporalCliPath()` reads first.
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');

/** Runs the root `build` script's `tsc -b ...` (incremental: a second of work when nothing changed). */
function buildWorkspace() {
  const script = require(path.join(ROOT, 'package.json')).scripts.build;
  const args = script.replace(/^tsc\s+/, '').split(/\s+/);
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), ...args], { cwd: ROOT, stdio: 'inherit' });
}

module.exports = async function temporalGlobalSetup() {
  buildWorkspace();
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
