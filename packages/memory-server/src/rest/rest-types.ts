import type { MemoryStore } from '../store/memory-store';
import type { ToolRunner } from '../tools/tool-runner';

/** A REST request as the router sees it: its method, decoded path segments below `/api/v1`, query and body. */
export interface RestRequest {
  readonly method: string;
  /** Path segments after `/api/v1`, each percent-decoded on its own (a topic may hold an encoded `/`). */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST or PUT; undefined for other methods. */
  readonly body: unknown;
}

/** What a REST route answers: an HTTP status, a JSON body and extra headers. */
export interface RestResponse {
  readonly status: number;
  readonly body: object;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a route handler works with: the tools (the MCP tools' code path) and the store's project catalog. */
export interface RouteDeps {
  readonly tools: ToolRunner;
  readonly store: MemoryStore;
}

/** One REST route's work, given the project and (for context routes) the topic named by its path. */
export type RouteHandler = (
  deps: RouteDeps,
  request: RestRequest,
  path: { readonly project: string; readonly topic: string },
) => Promise<RestResponse>;
