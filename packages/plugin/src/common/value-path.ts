import { cutText } from './cut-text';

/**
 * Reads a dotted path such as `args.0.customerId` from a plain object. Pure and deterministic: safe
 * in the workflow sandbox. Never throws (getters that throw, cycles and odd values read as undefined).
 */
export function readPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (current === null || (typeof current !== 'object' && typeof current !== 'function')) return undefined;
    try {
      if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    } catch {
      return undefined;
    }
  }
  return current;
}

/** Longest entity value kept: keys travel in headers, which must stay small. */
export const MAX_KEY_VALUE_LENGTH = 200;

/** A key value as text: strings, finite numbers, bigints and booleans; anything else is no value. */
export function keyValue(value: unknown): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  if (!text) return undefined;
  return cutText(text, MAX_KEY_VALUE_LENGTH);
}
