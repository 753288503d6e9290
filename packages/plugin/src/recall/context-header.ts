import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { RecalledContext } from './recalled-context';

/** Largest `stompy-context` header: headers travel with every task, uncompressed and unencrypted. */
export const MAX_CONTEXT_HEADER_BYTES = 16 * 1024;

/**
 * Encodes recalled memory as the `stompy-context` header. When it would pass
 * {@link MAX_CONTEXT_HEADER_BYTES}, the least relevant memories are left out (insights and risk are kept):
 * each memory's size is measured once, so a large context costs two encodings, not one per memory.
 */
export function encodeRecalledContext(context: RecalledContext): Payload {
  const payload = defaultPayloadConverter.toPayload(context);
  if ((payload.data?.length ?? 0) <= MAX_CONTEXT_HEADER_BYTES) return payload;
  // The JSON of the context with no memories, then each memory and its comma while they fit.
  let bytes = Buffer.byteLength(JSON.stringify({ ...context, memories: [] }));
  const kept: RecalledContext['memories'][number][] = [];
  for (const memory of context.memories) {
    const size = Buffer.byteLength(JSON.stringify(memory)) + (kept.length > 0 ? 1 : 0);
    if (bytes + size > MAX_CONTEXT_HEADER_BYTES) break;
    bytes += size;
    kept.push(memory);
  }
  return defaultPayloadConverter.toPayload({ ...context, memories: kept });
}

/** Decodes a `stompy-context` header; undefined when absent or malformed. */
export function decodeRecalledContext(payload: Payload | undefined): RecalledContext | undefined {
  if (!payload) return undefined;
  try {
    const value = defaultPayloadConverter.fromPayload<RecalledContext>(payload);
    return typeof value === 'object' && value !== null && Array.isArray(value.keys) ? value : undefined;
  } catch {
    return undefined;
  }
}
