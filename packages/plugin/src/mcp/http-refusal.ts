import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../support/error-message';
import { StompyToolError } from './stompy-errors';
import { isObject, toolRefusal, type JsonObject } from './tool-result';

/** How the SSE transport (and the SDK's older paths) word an HTTP status in a plain Error. */
const HTTP_STATUS_IN_MESSAGE = /\(HTTP (\d{3})\)/;

/**
 * A call that failed although the server answered it, as the refusal it is; undefined for
 * everything else (transport failures, timeouts, internal server errors), which may pass and is
 * handled as unavailability. Refusals are not outages: retrying them on a new connection cannot help,
 * and taking them for an outage would keep the circuit breaker opening on a server that answers.
 *
 * - HTTP 429 (hosted Stompy's per-minute and burst caps, or a proxy's): a `rate_limit_exceeded`
 *   refusal with the wait the answer names (its JSON body's `retry_after_seconds`, or its prose), so
 *   delivery waits that long and recall counts a rate-limited recall. Refused `initialize` calls too.
 * - HTTP 413: the request is larger than the server accepts.
 * - JSON-RPC "invalid params" in place of a result: what an MCP SDK server sends when its tool
 *   returned something that is not a tool result, or the arguments did not fit.
 */
export function refusalInAnswer(tool: string, error: unknown): StompyToolError | undefined {
  const status = httpStatusOf(error);
  if (status === 429) return rateLimitRefusal(tool, errorMessage(error));
  if (status === 413) {
    return new StompyToolError(tool, 'payload_too_large', errorMessage(error).slice(0, 500), undefined);
  }
  if (error instanceof McpError && error.code === (ErrorCode.InvalidParams as number)) {
    // The tool may have run before its answer was found invalid: an unreadable answer, not a refusal.
    return new StompyToolError(tool, 'malformed_result', errorMessage(error).slice(0, 500), undefined);
  }
  return undefined;
}

/** The HTTP status a transport error carries (Streamable HTTP's error code, or SSE's message); undefined if none. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof StreamableHTTPError) return error.code;
  const match = HTTP_STATUS_IN_MESSAGE.exec(errorMessage(error));
  return match ? Number(match[1]) : undefined;
}

/** A 429's refusal: its body's code and wait when the answer carried JSON, its prose otherwise. */
function rateLimitRefusal(tool: string, message: string): StompyToolError {
  const refusal = toolRefusal(tool, jsonBodyIn(message), message);
  return refusal.code === 'rate_limit_exceeded'
    ? refusal
    : new StompyToolError(tool, 'rate_limit_exceeded', message.slice(0, 500), refusal.retryAfterSeconds);
}

/** The JSON object an error message quotes from the answer's body (the SDK appends the body's text). */
function jsonBodyIn(message: string): JsonObject | undefined {
  const start = message.indexOf('{');
  if (start < 0) return undefined;
  try {
    const body: unknown = JSON.parse(message.slice(start));
    return isObject(body) ? body : undefined;
  } catch {
    return undefined;
  }
}
