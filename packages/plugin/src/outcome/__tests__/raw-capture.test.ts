import { resolveOptions } from '../../options/resolve-options';
import { captureValue, DEFAULT_REDACTED_KEYS } from '../raw-capture';

// Raw capture (opt-in) records what it can of any value, never a secret: secret-looking keys are
// redacted at any depth, including by a user's pattern with the g or y flag (which must redact every
// matching key, not every other one); cycles, BigInts, functions and throwing toJSON render without
// throwing; long text is cut.

describe('raw capture', () => {
  const settings = { args: true, result: true, redactKeys: DEFAULT_REDACTED_KEYS, maxChars: 200 };

  it('redacts secret-looking keys at any depth', () => {
    const text = captureValue(
      [{ customerId: 'C1', card: { cardNumber: '4111', cvv: '123' }, apiKey: 'k' }],
      settings,
    );
    expect(text).toContain('"customerId":"C1"');
    expect(text).not.toMatch(/4111|123|"k"/);
    expect(text).toContain('[redacted]');
  });

  it('renders cycles, BigInts, functions and throwing toJSON without throwing, and cuts long text', () => {
    const circular: Record<string, unknown> = { n: 10n, f: () => 1 };
    circular.self = circular;
    expect(captureValue(circular, settings)).toBe('{"n":"10n","f":"[function]","self":"[circular]"}');
    expect(
      captureValue(
        {
          toJSON: () => {
            throw new Error('no');
          },
        },
        settings,
      ),
    ).toBe('[unserializable]');
    expect(captureValue('x'.repeat(1000), settings)).toMatch(/^"x{199}… \(1002 chars\)$/);
  });
});

it('redacts every key a global or sticky RegExp in capture.redactKeys matches', () => {
  const { capture } = resolveOptions({ capture: { args: true, redactKeys: [/secret/gi, /pin/y, 'cvv'] } });
  const captured = captureValue(
    { secretKey: 'k1', secretValue: 'v1', SecretToken: 't1', pin: '1234', cvv: '999', orderId: 'o1' },
    capture,
  );
  expect(JSON.parse(captured)).toEqual({
    secretKey: '[redacted]',
    secretValue: '[redacted]',
    SecretToken: '[redacted]',
    pin: '[redacted]',
    cvv: '[redacted]',
    orderId: 'o1',
  });
});
