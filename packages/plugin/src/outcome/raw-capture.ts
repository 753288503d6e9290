import { cutText } from '../common/cut-text';

/** Key names whose values are always replaced by `[redacted]` when raw capture is on. */
export const DEFAULT_REDACTED_KEYS: readonly (string | RegExp)[] = [
  /pass(word)?/i,
  /secret/i,
  /token/i,
  /api.?key/i,
  /auth/i,
  /card.?(number)?$/i,
  /cvv|cvc/i,
  /ssn/i,
  /iban/i,
];

/** How raw arguments and results are captured (opt-in). */
export interface RawCaptureSettings {
  args: boolean;
  result: boolean;
  /** Object keys whose values are replaced by `[redacted]` at any depth. */
  redactKeys: readonly (string | RegExp)[];
  /** Longest captured text per value, in characters; the rest is cut. */
  maxChars: number;
}

/**
 * Renders a value as redacted JSON text for an outcome: keys that look secret are replaced, cycles,
 * BigInts, functions and symbols are rendered as markers, and the text is cut at `maxChars`. Never
 * throws (a getter that throws, a toJSON that throws: the value becomes `[unserializable]`).
 */
export function captureValue(value: unknown, settings: RawCaptureSettings): string {
  const seen = new WeakSet<object>();
  let text: string;
  try {
    text =
      JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
        if (
          key !== '' &&
          settings.redactKeys.some((k) => (typeof k === 'string' ? k === key : k.test(key)))
        ) {
          return '[redacted]';
        }
        if (typeof v === 'bigint') return `${v.toString()}n`;
        if (typeof v === 'function' || typeof v === 'symbol') return `[${typeof v}]`;
        if (typeof v === 'object' && v !== null) {
          // Cycles, and (more rarely) repeated references, render as a marker.
          if (seen.has(v)) return '[circular]';
          seen.add(v);
        }
        return v;
      }) ?? 'undefined';
  } catch {
    text = '[unserializable]';
  }
  return text.length > settings.maxChars
    ? `${cutText(text, settings.maxChars)}… (${text.length} chars)`
    : text;
}
