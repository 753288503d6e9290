import { numberProblem, show } from '../support/number-check';
import { StompyOptionsError } from './options-error';

/** Refuses keys the option group does not know, so a typo is an error, not a silent default. */
export function checkKeys(where: string, value: object, allowed: readonly string[], hint = ''): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new StompyOptionsError(
        `unknown option ${where}.${key}; expected one of ${allowed.join(', ')}${hint}`,
      );
    }
  }
}

/** A string option, or undefined when absent. */
export function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new StompyOptionsError(`${name} must be a string`);
  return value;
}

/** A boolean option, or undefined when absent. */
export function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new StompyOptionsError(`${name} must be true or false`);
  return value;
}

/** A number option in `[min, max]`, or undefined when absent. */
export function optionalNumber(name: string, value: unknown, min: number, max: number): number | undefined {
  return checkedOption(name, value, { min, max });
}

/** A count: a whole number (the memory server refuses a limit of 1.5 on every call). */
export function optionalInteger(name: string, value: unknown, min: number, max: number): number | undefined {
  return checkedOption(name, value, { min, max, integer: true });
}

function checkedOption(
  name: string,
  value: unknown,
  range: { min: number; max: number; integer?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const problem = numberProblem(value, range);
  if (problem) throw new StompyOptionsError(`${name} ${problem}`);
  return value as number;
}

/** A file path option: a non-blank string, or undefined when absent. */
export function optionalPath(name: string, value: unknown): string | undefined {
  const path = optionalString(name, value);
  if (path !== undefined && path.trim() === '')
    throw new StompyOptionsError(`${name} must be a file path, not ""`);
  return path;
}

/** An option group (`memory`, `recall`, ...): absent is `{}`; anything but a plain object is refused. */
export function section(name: string, value: unknown, example: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new StompyOptionsError(`${name} must be an object such as ${example}, not ${show(value)}`);
  }
  return value as Record<string, unknown>;
}
