import type { Logger } from 'pino';
import type { StompyServerDeps } from '../create-server';
import { StoreError } from '../store/errors';
import { IN_PROCESS_CALLER, type ToolCaller } from '../tools/tool-context';
import { createToolRunner } from '../tools/tool-runner';
import { restSegments } from './path-segments';
import { refusalResponse, refused, RestRefusal } from './rest-errors';
import { matchRoute } from './rest-router';
import type { RestResponse, RouteDeps } from './rest-types';

/** A REST request as the HTTP server hands it over: method, path, query and parsed JSON body. */
export interface RestApiRequest {
  readonly method: string;
  /** The URL's path, still percent-encoded, starting with `/api/v1`. */
  readonly pathname: string;
  readonly query: URLSearchParams;
  /** The parsed JSON body of a POST or PUT; undefined for other methods. */
  readonly body: unknown;
  /** Who sent it, for the rate limit; default: in process. */
  readonly caller?: ToolCaller;
}

/** The REST API under `/api/v1` (Stompy's routes for contexts and projects), without HTTP. */
export interface RestApi {
  /** Answers one request; never rejects (a failure is a 500 response, logged). */
  handle(request: RestApiRequest): Promise<RestResponse>;
}

/**
 * The REST API over a process's shared deps: every context route calls the server's tools through
 * the in-process runner, so REST and MCP share validation, limits, the rate limit, the store and the
 * logs. Unknown routes are 404 and known routes with another method 405, both with a JSON message.
 */
export function createRestApi(deps: StompyServerDeps): RestApi {
  const logger: Logger = deps.config.logger.child({ component: 'rest-api' });
  return {
    async handle(request) {
      // A runner per request, for its caller: its tool calls count against that caller's budget.
      const routeDeps: RouteDeps = {
        tools: createToolRunner(deps, request.caller ?? IN_PROCESS_CALLER),
        store: deps.store,
      };
      try {
        const segments = restSegments(request.pathname);
        const match = matchRoute(segments);
        if (match === undefined) {
          throw refused(404, 'not_found', `no route for ${request.method} ${request.pathname}`);
        }
        const handler = match.methods[request.method];
        if (handler === undefined) {
          const allowed = Object.keys(match.methods).join(', ');
          const refusal = refused(
            405,
            'method_not_allowed',
            `${request.method} is not allowed here; use ${allowed}`,
          );
          return { ...refusal.response, headers: { Allow: allowed } };
        }
        return await handler(routeDeps, { ...request, segments }, match.path);
      } catch (error) {
        if (error instanceof RestRefusal) {
          logger.debug(
            { method: request.method, status: error.response.status },
            'rest api: request refused',
          );
          return error.response;
        }
        // The store's own refusals (a project name read outside the tools) answer as the tools' do.
        if (error instanceof StoreError) {
          return refusalResponse({ error: error.code, message: error.message, ...error.details });
        }
        logger.error({ err: error, method: request.method }, 'rest api: request failed');
        return refused(500, 'internal_error', 'internal server error').response;
      }
    },
  };
}
