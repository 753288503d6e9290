import { StompyToolError } from '../../../mcp/stompy-errors';
import { mayHideStoredWrite, refusalVerdict, refusesTheWholeBatch } from '../refusal-rules';

// The refusal rules as a pure function: what delivery does with an entry the server refused, by the
// refusal's code, its retry-after and the attempt (stored, retry later, retry bounded, dead-letter),
// and which refusals may hide a stored write or refuse a whole batch.

const refusal = (code: string | undefined, retryAfterSeconds?: number): StompyToolError =>
  new StompyToolError('lock_context', code, 'refused', retryAfterSeconds);

describe('refusalVerdict: what delivery does with a refused entry', () => {
  it.each([
    ['insufficient_novelty', 1, { kind: 'stored' }],
    ['rate_limit_exceeded', 1, { kind: 'retry-later' }],
    ['overloaded', 99, { kind: 'retry-later' }],
    ['invalid_input', 1, { kind: 'dead-letter', reason: 'invalid_input: lock_context: refused' }],
    ['payload_too_large', 1, { kind: 'dead-letter', reason: 'payload_too_large: lock_context: refused' }],
    [undefined, 1, { kind: 'retry-bounded', outcomeUnknown: false }],
    ['internal_error', 9, { kind: 'retry-bounded', outcomeUnknown: false }],
    ['quota_paused', 3, { kind: 'retry-bounded', outcomeUnknown: false }],
    ['malformed_result', 2, { kind: 'retry-bounded', outcomeUnknown: true }],
  ] as const)('%s at attempt %d', (code, attempt, verdict) => {
    expect(refusalVerdict(refusal(code), attempt, 10)).toEqual(verdict);
  });

  it('retries a refusal with a retry-after without limit, whatever its code', () => {
    expect(refusalVerdict(refusal('some_code', 30), 1_000, 10)).toEqual({ kind: 'retry-later' });
  });

  it('gives up on an unclear refusal at the bound, and says so', () => {
    expect(refusalVerdict(refusal('internal_error'), 10, 10)).toEqual({
      kind: 'dead-letter',
      reason: 'internal_error: lock_context: refused (gave up after 10 attempts)',
    });
  });

  it('knows which answers may hide a stored write, and which refuse a whole batch', () => {
    expect(mayHideStoredWrite(refusal('missing_result'))).toBe(true);
    expect(mayHideStoredWrite(refusal('invalid_input'))).toBe(false);
    expect(refusesTheWholeBatch(refusal('invalid_params'))).toBe(true);
    expect(refusesTheWholeBatch(refusal(undefined))).toBe(true);
    expect(refusesTheWholeBatch(refusal('rate_limit_exceeded'))).toBe(false);
    expect(refusesTheWholeBatch(refusal('insufficient_novelty'))).toBe(false);
    expect(refusesTheWholeBatch(refusal('malformed_result'))).toBe(false);
  });
});
