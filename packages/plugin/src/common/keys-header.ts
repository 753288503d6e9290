import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ExecutionKeys } from './execution-keys';

/** Encodes keys as a header payload (plain JSON; headers bypass the codec, so keys must hold no secret). */
export function encodeKeys(keys: ExecutionKeys): Payload {
  return defaultPayloadConverter.toPayload(keys);
}

/** Decodes a keys header; anything malformed reads as undefined, never as an exception. */
export function decodeKeys(payload: Payload | undefined): ExecutionKeys | undefined {
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return isExecutionKeys(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isExecutionKeys(value: unknown): value is ExecutionKeys {
  if (typeof value !== 'object' || value === null) return false;
  const { tags, entities, eventTime } = value as Record<string, unknown>;
  return (
    Array.isArray(tags) &&
    tags.every((t) => typeof t === 'string') &&
    typeof entities === 'object' &&
    entities !== null &&
    Object.values(entities).every((v) => typeof v === 'string') &&
    (eventTime === undefined || typeof eventTime === 'string')
  );
}
