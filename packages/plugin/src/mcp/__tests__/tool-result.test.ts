import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { jsonResult, textResult } from '../../__tests__/helpers/memory-server-double';
import { StompyToolError } from '../stompy-errors';
import { readToolResult } from '../tool-result';

// How a tool result is read, whichever server sent it: the JSON object of structuredContent or of the
// text content, a bare list kept under `results`, anything else refused as a malformed result; and
// how an error result becomes a StompyToolError with a code, whether the server said it as a coded
// body (our server, hosted Stompy) or only in prose (older servers, proxies).

/** What `readToolResult` threw for a result (fails when it did not throw a StompyToolError). */
function refusal(result: CallToolResult, tool = 'lock_context'): StompyToolError {
  try {
    readToolResult(tool, result);
  } catch (error) {
    expect(error).toBeInstanceOf(StompyToolError);
    return error as StompyToolError;
  }
  throw new Error('the result was accepted');
}

describe('readToolResult', () => {
  it('reads the JSON object of structuredContent first, then of the first text content', () => {
    expect(
      readToolResult('t', { ...jsonResult({ from: 'text' }), structuredContent: { from: 'structured' } }),
    ).toEqual({
      from: 'structured',
    });
    expect(readToolResult('t', jsonResult({ from: 'text' }))).toEqual({ from: 'text' });
    expect(
      readToolResult('t', {
        content: [
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'text', text: '{"second": true}' },
        ],
      }),
    ).toEqual({ second: true });
  });

  it('keeps a bare JSON list (older recall_batch) under `results`', () => {
    expect(readToolResult('recall_batch', jsonResult([{ topic: 'a' }]))).toEqual({
      results: [{ topic: 'a' }],
    });
  });

  it.each([
    ['non-JSON text', textResult('Context locked: t v1.0')],
    ['a JSON string', textResult('"stored"')],
    ['a JSON number', textResult('42')],
    ['JSON null', textResult('null')],
    ['no content at all', { content: [] }],
    ['only non-text content', { content: [{ type: 'image', data: 'AAAA', mimeType: 'image/png' }] }],
  ])('refuses %s as a malformed result (not retryable by itself)', (_name, result) => {
    expect(refusal(result as CallToolResult)).toMatchObject({
      code: 'malformed_result',
      retryable: false,
      message: 'lock_context: result is not a JSON object',
    });
  });

  it('turns a coded error body into a StompyToolError with its code, message and retry-after', () => {
    const error = refusal({
      isError: true,
      ...jsonResult({ error: 'rate_limit_exceeded', message: 'slow down', retry_after_seconds: 12 }),
    });
    expect(error).toMatchObject({
      tool: 'lock_context',
      code: 'rate_limit_exceeded',
      message: 'lock_context: slow down',
      retryAfterSeconds: 12,
      retryable: true,
    });
    expect(
      refusal({ isError: true, content: [], structuredContent: { error: 'invalid_input', message: 'bad' } }),
    ).toMatchObject({ code: 'invalid_input', message: 'lock_context: bad', retryable: false });
  });

  it('recognises a rate limit said only in prose (older servers) as retryable', () => {
    for (const prose of ['Rate limit exceeded. Try again later.', 'rate-limit hit', 'RATELIMIT']) {
      expect(refusal({ isError: true, ...textResult(prose) })).toMatchObject({
        code: 'rate_limit_exceeded',
        retryAfterSeconds: undefined,
        retryable: true,
      });
    }
  });

  it('recognises rate limits and overload worded by other servers and proxies, with a wait said in prose', () => {
    const cases: [string, string, number | undefined][] = [
      ['429 Too Many Requests', 'rate_limit_exceeded', undefined],
      ['HTTP 429: slow down', 'rate_limit_exceeded', undefined],
      ['Monthly quota exceeded', 'rate_limit_exceeded', undefined],
      ['Too many requests, retry after 30 seconds', 'rate_limit_exceeded', 30],
      ['Rate limited. Retry-After: 5', 'rate_limit_exceeded', 5],
      ['rate limit hit: try again in 2 min', 'rate_limit_exceeded', 120],
      ['rate limit: retry after 1500 ms', 'rate_limit_exceeded', 1.5],
      ['Server overloaded', 'overloaded', undefined],
      ['503 Service Unavailable', 'overloaded', undefined],
      ['Database temporarily unavailable, try again later', 'overloaded', undefined],
    ];
    for (const [prose, code, retryAfterSeconds] of cases) {
      expect(refusal({ isError: true, ...textResult(prose) })).toMatchObject({
        code,
        retryAfterSeconds,
        retryable: true,
      });
    }
  });

  it('does not take a number quoted back from a bad input for a status', () => {
    for (const prose of ["topic 'order-429' is too long", 'content of 503 bytes has 2% novelty']) {
      expect(refusal({ isError: true, ...textResult(prose) })).toMatchObject({
        code: undefined,
        retryable: false,
      });
    }
  });

  it('keeps other prose errors, and an error without a body, without a code', () => {
    expect(refusal({ isError: true, ...textResult('Topic name too long') })).toMatchObject({
      code: undefined,
      message: 'lock_context: Topic name too long',
      retryable: false,
    });
    expect(refusal({ isError: true, content: [] })).toMatchObject({
      code: undefined,
      message: 'lock_context: tool call failed',
    });
    // A code that is not a string is no code; the message is the text.
    expect(refusal({ isError: true, ...jsonResult({ error: 42 }) })).toMatchObject({ code: undefined });
  });

  it('cuts a huge error message to 500 characters', () => {
    const error = refusal({ isError: true, ...textResult('x'.repeat(100_000)) });
    expect(error.message).toHaveLength('lock_context: '.length + 500);
  });
});
