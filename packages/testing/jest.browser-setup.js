// Jest globalSetup for every project whose tests drive a real browser: finds Chromium once, before any
// test starts, installing Debian's `chromium` with apt-get when there is none and this runs as root on
// Debian or Ubuntu (about 15 s to a few minutes, once per machine), and hands its path to the test
// workers through STOMPY_TEST_CHROMIUM, which `chromiumPath()` (and so `launchBrowser()`) reads first.
// When Chromium is there this costs a fraction of a second. When it is missing and cannot be
// installed, the run fails here with what to install: browser tests are never skipped silently.
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');

module.exports = async function browserGlobalSetup() {
  // Incremental: about 0.2 s when nothing changed, so chromium-path.js matches its sources.
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-b', path.join(__dirname, 'tsconfig.build.json')],
    { cwd: ROOT, stdio: 'inherit' },
  );
  const { chromiumPath } = require(path.join(__dirname, 'dist', 'chromium-path.js'));
  const started = Date.now();
  const binary = await chromiumPath();
  process.env.STOMPY_TEST_CHROMIUM = binary;
  const seconds = (Date.now() - started) / 1000;
  if (seconds > 5) process.stderr.write(`\n[chromium] ready in ${seconds.toFixed(0)} s: ${binary}\n`);
};
