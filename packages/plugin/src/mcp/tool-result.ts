import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { StompyToolError } from './stompy-errors';

/** A JSON object as tools return it. */
export type JsonObject = Record<string, unknown>;

/**
 * Reads a tool result as Stompy sends it: a JSON object in `structuredContent`, or serialized as the
 * first text content (hosted Stompy); a bare JSON list comes back as `{results: list}`. An `isError`
 * result becomes a {@link StompyToolError}.
 */
export function readToolResult(tool: string, result: CallToolResult): JsonObject {
  const parsed = isObject(result.structuredContent) ? result.structuredContent : parseTextContent(result);
  if (result.isError) throw toolRefusal(tool, parsed, firstText(result));
  if (parsed === undefined) {
    throw new StompyToolError(tool, 'malformed_result', 'result is not a JSON object', undefined);
  }
  return parsed;
}

function parseTextContent(result: CallToolResult): JsonObject | undefined {
  const text = firstText(result);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    // Older servers answer some tools (recall_batch) with a bare list: keep it under `results`.
    if (Array.isArray(value)) return { results: value };
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function firstText(result: CallToolResult): string | undefined {
  const content: unknown = result.content;
  if (!Array.isArray(content)) return undefined;
  for (const item of content as unknown[]) {
    if (isObject(item) && item.type === 'text' && typeof item.text === 'string') return item.text;
  }
  return undefined;
}

/**
 * The error a refusal stands for, from its JSON body (`error`, `message`, `retry_after_seconds`) or,
 * when a server gives only prose, from its text: the code and the wait a rate limit words.
 */
export function toolRefusal(tool: string, body: JsonObject | undefined, text?: string): StompyToolError {
  const message =
    (typeof body?.message === 'string' ? body.message : undefined) ?? text ?? 'tool call failed';
  const code = (typeof body?.error === 'string' ? body.error : undefined) ?? codeInProse(message);
  const retryAfter =
    typeof body?.retry_after_seconds === 'number' ? body.retry_after_seconds : retryAfterInProse(message);
  return new StompyToolError(tool, code, message.slice(0, 500), retryAfter);
}

/** Rate limits as servers and the proxies in front of them word them when they give no code. */
// A bare status number is not enough: a refused topic such as `order-429` may be quoted back.
const RATE_LIMIT_PROSE =
  /rate.?limit|too many requests|(?:http|status|error)\W{0,3}429\b|quota exceeded|slow down/i;
/** Overload as servers and proxies word it: calling again later can succeed. */
const OVERLOAD_PROSE =
  /overloaded|temporarily unavailable|service unavailable|(?:http|status|error)\W{0,3}503\b|try again later/i;

/**
 * The code of a refusal said only in prose (older servers, or a proxy's page as text), so delivery
 * backs off and tries again instead of dead-lettering an outcome a server would take a minute later.
 */
function codeInProse(message: string): string | undefined {
  if (RATE_LIMIT_PROSE.test(message)) return 'rate_limit_exceeded';
  if (OVERLOAD_PROSE.test(message)) return 'overloaded';
  return undefined;
}

/** "retry after 30 seconds", "Retry-After: 30", "try again in 30s": the wait a prose refusal asks for. */
function retryAfterInProse(message: string): number | undefined {
  const match =
    /(?:retry.?after|try again in)\D{0,3}(\d{1,5})\s*(ms|milliseconds?|s|sec|seconds?|m|min|minutes?)?\b/i.exec(
      message,
    );
  if (!match?.[1]) return undefined;
  const amount = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  if (unit.startsWith('ms') || unit.startsWith('milli')) return amount / 1000;
  if (unit.startsWith('m')) return amount * 60;
  return amount;
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
