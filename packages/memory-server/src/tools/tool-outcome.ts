/** The body of a refused tool call: a machine-readable `error` code, a message, and details. */
export interface ToolErrorBody {
  /**
   * E.g. `invalid_input`, `not_found`, `insufficient_novelty`, `rate_limit_exceeded`,
   * `internal_error`; from the in-process runner also `invalid_params` and `unknown_tool`.
   */
  readonly error: string;
  /** What was wrong and how to fix it. */
  readonly message: string;
  readonly [detail: string]: unknown;
}

/**
 * What a tool call came to, before any transport: the JSON body a client reads, and whether it is a
 * refusal. Over MCP it becomes a `CallToolResult` (see call-tool-result.ts); the in-process runner
 * hands it over as it is.
 */
export type ToolOutcome =
  | { readonly isError: false; readonly body: Record<string, unknown> }
  | { readonly isError: true; readonly body: ToolErrorBody };

/** A successful outcome with `body`. */
export function success(body: object): ToolOutcome {
  return { isError: false, body: body as Record<string, unknown> };
}

/** A refusal with `body`. */
export function refusal(body: ToolErrorBody): ToolOutcome {
  return { isError: true, body };
}
