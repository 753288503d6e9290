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
export type { RateLimitConfig, ResolvedRateLimit } from './rate-limit-config';
export { HOSTED_PLANS, HOSTED_PLAN_NAMES, DEFAULT_HOSTED_PLAN } from './hosted-plans';
export type { HostedPlan } from './hosted-plans';
export { EXTRA_TOOL_NAMES } from './tools/extra-tool-names';
export type { ExtraToolName } from './tools/extra-tool-names';
export { IN_PROCESS_CALLER } from './tools/tool-context';
export type { ToolCaller } from './tools/tool-context';
export { serveHttp } from './serve-http';
export type { ServeHttpOptions } from './serve-http';
export {
  createServerDeps,
  createStompyServer,
  openContextStore,
  openMemoryStore,
  openServerDeps,
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
export type { ContextStoreOptions } from './store/context-store';
export type { MemoryStore, StoreKind } from './store/memory-store';
export { PostgresStore } from './store/postgres/postgres-store';
export type { PostgresStoreOptions } from './store/postgres/postgres-store';
export type { PostgresPoolOptions } from './store/postgres/pg-pool';
export { redactDatabaseUrl } from './store/postgres/pg-pool';
export { createToolRunner } from './tools/tool-runner';
export type { ToolRunner } from './tools/tool-runner';
export type { ToolErrorBody, ToolOutcome } from './tools/tool-outcome';
export { startHttpServer } from './transports/http-server';
export type { AnsweredRequest, HttpServerOptions, RunningHttpServer } from './transports/http-server';
export { serveStdio } from './transports/stdio';
/** The read-only web page a memory server serves at `/` (what the memory learned), and its default Temporal UI. */
export { createWebPage, DEFAULT_TEMPORAL_UI_URL } from './web/web-page';
/** The web page, its options, and one request and answer of it. */
export type { PageAnswer, PageRequest, WebPage, WebPageOptions } from './web/web-page';
/** The reads behind the web page, on either database, and what they return. */
export type {
  DayTotals,
  HourTotals,
  KeyKind,
  KeyOutcomesQuery,
  KeyPage,
  KeyTotals,
  OutcomeBrowser,
  OutcomeCursor,
  OutcomePage,
  StoredOutcome,
  TopicVersion,
} from './store/outcome-browser';
