import { resolveOptions } from '../../options/resolve-options';
import { captureValue } from '../raw-capture';

// A user's redaction pattern with the g flag must redact every matching key, not every other one.

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
