import { describeRatio, pairedRatio } from '../paired-ratios';

describe('pairedRatio', () => {
  it('divides within each round and gives the median and range of the ratios', () => {
    const ratio = pairedRatio([200, 330, 150], [100, 300, 100]);
    expect(ratio.rounds).toBe(3);
    expect(ratio.median).toBeCloseTo(1.5);
    expect(ratio.min).toBeCloseTo(1.1);
    expect(ratio.max).toBeCloseTo(2);
    expect(describeRatio(ratio)).toBe('1.50x (1.10-2.00 over 3 rounds)');
  });

  it('leaves out rounds without both figures, and says so when none is left', () => {
    expect(pairedRatio([NaN, 4], [2, 2]).rounds).toBe(1);
    expect(describeRatio(pairedRatio([4], [2]))).toBe('2.00x');
    const none = pairedRatio([1], [0]);
    expect(none.rounds).toBe(0);
    expect(describeRatio(none)).toBe('?');
  });
});
