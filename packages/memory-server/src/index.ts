/**
 * `@temporal-stompy/memory-server`: a Stompy-compatible MCP memory server on SQLite + FTS5. Use it as
 * a process (`stompy-memory serve|stdio|inspect`) or embed it: open the deps once, then make an MCP
 * server per connection with {@link createStompyServer}, or call the tools in process, without MCP,
 * with {@link createToolRunner}.
 *
 * @module
 */
export { resolveConfig, ConfigError } from './config';
export type { MemoryServerConfig, ResolvedConfig, ServerProfile } from './config';
export {
  createServerDeps,
  createStompyServer,
  openContextStore,
  SERVER_NAME,
  SERVER_VERSION,
} from './create-server';
export type { StompyServerDeps } from './create-server';
export { createLogger } from './logger';
export type { LoggerOptions } from './logger';
export { createRestApi } from './rest/rest-api';
export type { RestApi, RestApiRequest } from './rest/rest-api';
export type { RestResponse } from './rest/rest-types';
export { ContextStore } from './store/context-store';
export { createToolRunner } from './tools/tool-runner';
export type { ToolRunner } from './tools/tool-runner';
export type { ToolErrorBody, ToolOutcome } from './tools/tool-outcome';
export { startHttpServer } from './transports/http-server';
export type { HttpServerOptions, RunningHttpServer } from './transports/http-server';
export { serveStdio } from './transports/stdio';
