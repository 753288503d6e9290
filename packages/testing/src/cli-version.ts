// Which Temporal CLI is built when none is found.

/** The Temporal CLI version that is built when no binary is found (later ones refuse `go install`). */
export const TEMPORAL_CLI_VERSION = '1.5.1';

/** The Go package that `go install` builds into the cache folder. */
export const TEMPORAL_CLI_GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
