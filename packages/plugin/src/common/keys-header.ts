import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ExecutionKeys } from './execution-keys';
import { cutText } from './cut-text';
import { MAX_KEY_VALUE_LENGTH } from './value-path';

/** Most tags and entities a keys header carries: it goes with every activity and child, into history. */
export const MAX_HEADER_TAGS = 16;
export const MAX_HEADER_ENTITIES = 16;
/** Longest entity name in a header. */
const MAX_ENTITY_NAME_LENGTH = 64;
/** Longest time zone name in a header (the longest IANA names are about 30 characters). */
const MAX_TIME_ZONE_LENGTH = 64;

/**
 * Encodes keys as a header payload (plain JSON; headers bypass the codec, so keys must hold no
 * secret), bounded: the header is stored with every activity and child workflow the run schedules.
 */
export function encodeKeys(keys: ExecutionKeys): Payload {
  return defaultPayloadConverter.toPayload(boundedKeys(keys));
}

/** Decodes a keys header; anything malformed reads as undefined, never as an exception. */
export function decodeKeys(payload: Payload | undefined): ExecutionKeys | undefined {
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    // A header may come from any client that starts a workflow: bound it as if it were ours.
    return isExecutionKeys(value) ? boundedKeys(value) : undefined;
  } catch {
    return undefined;
  }
}

function isExecutionKeys(value: unknown): value is ExecutionKeys {
  if (typeof value !== 'object' || value === null) return false;
  const { tags, entities, eventTime, timeZone } = value as Record<string, unknown>;
  return (
    Array.isArray(tags) &&
    tags.every((t) => typeof t === 'string') &&
    typeof entities === 'object' &&
    entities !== null &&
    Object.values(entities).every((v) => typeof v === 'string') &&
    (eventTime === undefined || typeof eventTime === 'string') &&
    (timeZone === undefined || typeof timeZone === 'string')
  );
}

/**
 * Keys cut to what a header carries: the first tags and entities, values and names cut to length. A
 * time zone is carried as it is (cut to length); the worker side checks it before it counts with it.
 */
function boundedKeys(keys: ExecutionKeys): ExecutionKeys {
  const tags = keys.tags.slice(0, MAX_HEADER_TAGS).map((t) => cutText(t, MAX_KEY_VALUE_LENGTH));
  const entities = Object.fromEntries(
    Object.entries(keys.entities)
      .slice(0, MAX_HEADER_ENTITIES)
      .map(([name, value]) => [cutText(name, MAX_ENTITY_NAME_LENGTH), cutText(value, MAX_KEY_VALUE_LENGTH)]),
  );
  const bounded: ExecutionKeys = { tags, entities };
  if (keys.eventTime !== undefined) bounded.eventTime = cutText(keys.eventTime, MAX_KEY_VALUE_LENGTH);
  if (keys.timeZone !== undefined) bounded.timeZone = cutText(keys.timeZone, MAX_TIME_ZONE_LENGTH);
  return bounded;
}
