import { novelty } from '../store/novelty';

describe('novelty (share of new 3-word shingles)', () => {
  it('is 0 for the same words, whatever the case and punctuation', () => {
    expect(novelty('The order shipped today.', 'the ORDER, shipped; today')).toBe(0);
  });

  it('is 1 for entirely different text', () => {
    expect(novelty('the order shipped today', 'refund issued to card')).toBe(1);
  });

  it('counts the shingles of the new text that the old one lacks', () => {
    // New shingles: "b c x", "c x y" out of "a b c", "b c x", "c x y".
    expect(novelty('a b c d', 'a b c x y')).toBeCloseTo(2 / 3);
  });

  it('uses shorter shingles for texts under three words, and compares wordless texts whole', () => {
    expect(novelty('alpha beta', 'alpha beta')).toBe(0);
    expect(novelty('alpha beta gamma', 'beta delta')).toBe(1);
    expect(novelty('...', '...')).toBe(0);
    expect(novelty('...', '!!!')).toBe(1);
  });

  it('is about the share of appended text (10 of 98 shingles touch the 10 new words)', () => {
    const base = Array.from({ length: 90 }, (_, i) => `w${i}`).join(' ');
    const extra = Array.from({ length: 10 }, (_, i) => `n${i}`).join(' ');
    expect(novelty(base, `${base} ${extra}`)).toBeCloseTo(10 / 98);
  });
});
