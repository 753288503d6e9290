import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { RecalledContext } from './recalled-context';

/** Largest `stompy-context` header: headers travel with every task, uncompressed and unencrypted. */
export const MAX_CONTEXT_HEADER_BYTES = 16 * 1024;

/**
 * Encodes recalled memory as the `stompy-context` header, dropping the least relevant memories
 * (summaries are kept) until it fits {@link MAX_CONTEXT_HEADER_BYTES}.
 */
export function encodeRecalledContext(context: RecalledContext): Payload {
  let memories = context.memories;
  for (;;) {
    const payload = defaultPayloadConverter.toPayload({ ...context, memories });
    if ((payload.data?.length ?? 0) <= MAX_CONTEXT_HEADER_BYTES || memories.length === 0) return payload;
    memories = memories.slice(0, memories.length - 1);
  }
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
