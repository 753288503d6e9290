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
  if (result.isError) throw toolErrorFrom(tool, parsed, result);
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

function toolErrorFrom(tool: string, body: JsonObject | undefined, result: CallToolResult): StompyToolError {
  const message =
    (typeof body?.message === 'string' ? body.message : undefined) ?? firstText(result) ?? 'tool call failed';
  // Older servers answer a rate limit in prose only; recognise it so delivery backs off instead of dropping.
  const code =
    (typeof body?.error === 'string' ? body.error : undefined) ??
    (/rate.?limit/i.test(message) ? 'rate_limit_exceeded' : undefined);
  const retryAfter = typeof body?.retry_after_seconds === 'number' ? body.retry_after_seconds : undefined;
  return new StompyToolError(tool, code, message.slice(0, 500), retryAfter);
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
