import { badRequest } from './rest-errors';

/** Where the REST API lives: the CLI's `--api-url` is `http://<host>:<port>/api/v1`. */
export const REST_PREFIX = '/api/v1';

/**
 * The path segments of a REST path below {@link REST_PREFIX}, each percent-decoded on its own, so an
 * encoded `/` inside a topic (`orders%2FC9`, as the CLI escapes it) stays inside its segment. A
 * trailing slash is ignored. Malformed percent-encoding is a 400.
 */
export function restSegments(pathname: string): string[] {
  const rest = pathname.slice(REST_PREFIX.length).replace(/^\/+/, '').replace(/\/+$/, '');
  if (rest === '') return [];
  return rest.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw badRequest('path', 'holds malformed percent-encoding');
    }
  });
}
