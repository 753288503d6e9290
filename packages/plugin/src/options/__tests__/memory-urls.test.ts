import { StompyOptionsError, StompyPlugin, type StompyPluginOptions } from '../../index';
import { resolveOptions } from '../resolve-options';

// `memory.url` takes one URL or several servers of one fleet. Each URL of a list is checked as a single
// one is (http or https, no credentials, never shown with its credentials), and the list itself must
// not be empty nor name a server twice; the order given is the order of preference, and one token
// serves them all.

function refused(url: unknown): string {
  let thrown: unknown;
  try {
    new StompyPlugin({ memory: { url, token: 't0ken' } } as StompyPluginOptions);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(StompyOptionsError);
  return (thrown as Error).message;
}

describe('several memory URLs', () => {
  it('resolve to every URL in the order given, with the one token', () => {
    const url = ['http://b.internal:4123/mcp', 'https://a.internal/mcp'];
    const resolved = resolveOptions({ memory: { url, token: 't0ken' } }, '/srv/app');
    expect(resolved.memory).toMatchObject({ kind: 'http', token: 't0ken', transport: 'auto' });
    expect(resolved.memory.kind === 'http' && resolved.memory.urls.map((u) => u.href)).toEqual(url);
    expect(() => new StompyPlugin({ memory: { url, token: 't0ken' } })).not.toThrow();
  });

  it('a list of one is one server', () => {
    const resolved = resolveOptions({ memory: { url: ['http://a:4123/mcp'] } }, '/srv/app');
    expect(resolved.memory.kind === 'http' && resolved.memory.urls.map((u) => u.href)).toEqual([
      'http://a:4123/mcp',
    ]);
  });

  it.each([
    [[], /memory\.url must not be an empty array; give one URL or several/],
    [
      ['http://a/mcp', 'http://a/mcp'],
      /memory\.url\[1\] names the same server as memory\.url\[0\] \(http:\/\/a\/mcp\)/,
    ],
    // The same server spelled two ways is still the same server.
    [['http://A:80/mcp', 'http://a/mcp'], /memory\.url\[1\] names the same server as memory\.url\[0\]/],
    [['http://a/mcp', ''], /memory\.url\[1\] must be a non-empty string/],
    [['http://a/mcp', 42], /memory\.url\[1\] must be a non-empty string/],
    [['http://a/mcp', 'not a url'], /memory\.url\[1\] "not a url" is not a URL; expected e\.g\. https:/],
    [['ftp://a/mcp'], /memory\.url\[0\] must be http: or https:, not ftp:/],
    [
      ['http://a/mcp', 'https://u:p@b/mcp'],
      /memory\.url\[1\] must not carry credentials; pass memory\.token/,
    ],
    [{ a: 'http://a/mcp' }, /memory\.url must be a string or a non-empty array of strings/],
  ])('%j is refused', (url, message) => {
    expect(refused(url)).toMatch(message);
  });

  it('never puts a credential from a URL of the list in the message', () => {
    expect(refused(['http://a/mcp', 'https://user:hunter2@b/mcp'])).not.toContain('hunter2');
    expect(refused(['http://a/mcp', 'https://user:hunter2@'])).not.toContain('hunter2');
  });
});
