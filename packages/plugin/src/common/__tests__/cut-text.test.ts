import { describeError } from '../describe-error';
import { cutText } from '../cut-text';
import { statelessRegExp } from '../stateless-regexp';

// Text cut to a length stays well-formed: half an emoji would get an outcome refused by the server.

it('cuts to the length, one code unit shorter where the cut would split a surrogate pair', () => {
  expect(cutText('abc', 5)).toBe('abc');
  expect(cutText('abcdef', 3)).toBe('abc');
  const split = `${'x'.repeat(499)}😀`;
  expect(cutText(split, 500)).toBe('x'.repeat(499));
  expect(cutText(split, 501)).toBe(split);
});

it('keeps error messages well-formed when it cuts them', () => {
  const { message } = describeError(new Error(`${'x'.repeat(499)}😀 and more`));
  expect(message).not.toMatch(/\p{Cs}/u); // no lone surrogate
  expect(message).toHaveLength(499);
});

it('drops the flags that make RegExp.test remember where it stopped', () => {
  const pattern = statelessRegExp('secret', 'gi');
  expect(pattern.flags).toBe('i');
  expect([pattern.test('secretKey'), pattern.test('secretValue')]).toEqual([true, true]);
});
