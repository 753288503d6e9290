import { StompyOptionsError } from './options-error';

/**
 * The `memory.url` option validated: one URL, or several of a fleet (all serving the same memory),
 * in order of preference. `undefined` when it is unset (undefined or an empty string: the plugin
 * then uses the embedded server). Each must be http: or https: without credentials; a list must not
 * be empty nor name a server twice. Errors never show a URL's credentials.
 */
export function resolveMemoryUrls(value: unknown): readonly URL[] | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string') return [parseUrl('memory.url', value)];
  if (!Array.isArray(value)) {
    throw new StompyOptionsError('memory.url must be a string or a non-empty array of strings');
  }
  if (value.length === 0) {
    throw new StompyOptionsError(
      'memory.url must not be an empty array; give one URL or several (servers of one fleet)',
    );
  }
  const urls = value.map((item: unknown, i) => {
    if (typeof item !== 'string' || item === '')
      throw new StompyOptionsError(`memory.url[${i}] must be a non-empty string`);
    return parseUrl(`memory.url[${i}]`, item);
  });
  urls.forEach((url, i) => {
    const first = urls.findIndex((other) => other.href === url.href);
    if (first !== i) {
      throw new StompyOptionsError(
        `memory.url[${i}] names the same server as memory.url[${first}] (${url.origin}${url.pathname}); give each server once`,
      );
    }
  });
  return urls;
}

function parseUrl(name: string, url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StompyOptionsError(
      `${name} "${redactUrl(url)}" is not a URL; expected e.g. https://stompy.example/mcp`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new StompyOptionsError(`${name} must be http: or https:, not ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) {
    throw new StompyOptionsError(`${name} must not carry credentials; pass memory.token instead`);
  }
  return parsed;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
