import { badRequest } from './rest-errors';

/** A query parameter's text, or undefined when it is absent or empty. */
export function stringParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/** A whole-number query parameter (digits only), or undefined when absent; 400 otherwise. */
export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const value = stringParam(query, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw badRequest(name, 'must be a whole number, 0 or more');
  return Number(value);
}

/** A true/false query parameter (`true`, `false`, `1`, `0`); false when absent; 400 otherwise. */
export function flagParam(query: URLSearchParams, name: string): boolean {
  const value = stringParam(query, name);
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw badRequest(name, 'must be true or false');
}

/**
 * The `version` query parameter: `latest`, `all` (where allowed) or a version such as `1.2`. The CLI's
 * deeplink syntax (`topic@v1.0`) sends `v1.0`: a `v` before a digit is dropped. The tools check the rest.
 */
export function versionParam(query: URLSearchParams): string | undefined {
  const value = stringParam(query, 'version');
  return value === undefined ? undefined : value.replace(/^v(?=\d)/, '');
}
