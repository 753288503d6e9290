// The plugin's internals bench:hosted needs to check its results: reading the digests back as recall
// does (DigestReader over a StompyClient) and rebuilding an outcome's facts from its note. They are not
// part of the plugin's public API and must not become so for a benchmark, so they are imported from the
// plugin's compiled files by path (packages/plugin/dist, types from its .d.ts files), which the build
// produces before this package's. The same path from src/hosted/ and from dist/hosted/.
export { DigestReader } from '../../../plugin/dist/recall/digest-reader';
export { outcomeFactsFromNote } from '../../../plugin/dist/outcome/outcome-facts';
export { McpSession } from '../../../plugin/dist/mcp/mcp-session';
export { StompyClient } from '../../../plugin/dist/mcp/stompy-client';
export { StompyToolError } from '../../../plugin/dist/mcp/stompy-errors';
export { PluginCounters } from '../../../plugin/dist/support/plugin-counters';
