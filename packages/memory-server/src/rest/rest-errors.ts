import type { ToolErrorBody } from '../tools/tool-outcome';
import type { RestResponse } from './rest-types';

/** HTTP status of each refusal code the tools give; an unknown code is a server error. */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  invalid_input: 400,
  invalid_params: 400,
  not_found: 404,
  insufficient_novelty: 409,
  conflict: 409,
  rate_limit_exceeded: 429,
  database_unavailable: 503,
};

/**
 * A REST request refused: thrown by route handlers and turned into the response by the router. Its
 * body is the error shape Stompy's CLI prints (`message`, `detail`), with the tool's error code and
 * details beside it.
 */
export class RestRefusal extends Error {
  constructor(readonly response: RestResponse) {
    super(`REST request refused with ${response.status}`);
    this.name = 'RestRefusal';
  }
}

/**
 * The response to a refused tool call or request. The body carries `status_code` (the HTTP status,
 * as the CLI's error struct names it), `error` (the code), `message`, and `detail` from a tool's
 * `hint`; the CLI prints `API error <status>: <message> — <detail>`. A rate-limit refusal also says
 * when to retry in `Retry-After`.
 */
export function refusalResponse(body: ToolErrorBody): RestResponse {
  const status = STATUS_OF_CODE[body.error] ?? 500;
  const { hint, ...rest } = body;
  const retryAfter = body.retry_after_seconds;
  return {
    status,
    body: { status_code: status, ...rest, ...(typeof hint === 'string' ? { detail: hint } : {}) },
    ...(typeof retryAfter === 'number' ? { headers: { 'Retry-After': String(retryAfter) } } : {}),
  };
}

/** A {@link RestRefusal} with `status`, error `code` and `message`. */
export function refused(status: number, code: string, message: string): RestRefusal {
  return new RestRefusal({ status, body: { status_code: status, error: code, message } });
}

/** A 400 refusal of a request argument: `field: message`, with `field` named in the body. */
export function badRequest(field: string, message: string): RestRefusal {
  return new RestRefusal({
    status: 400,
    body: { status_code: 400, error: 'invalid_input', message: `${field}: ${message}`, field },
  });
}
