import { parseBenchOptions } from '../bench-options';
import { rotate } from '../stores-bench';

describe('parseBenchOptions', () => {
  it('measures both stores at 100k and 1M outcomes by default, at 10k in a quick run', () => {
    expect(parseBenchOptions([], {}).outcomeSizes).toEqual([100_000, 1_000_000]);
    const quick = parseBenchOptions(['--quick'], {});
    expect(quick.outcomeSizes).toEqual([10_000]);
    expect(quick.storeCounts.rounds).toBe(2);
  });

  it('takes outcome sizes, rounds, and none to skip a section', () => {
    const options = parseBenchOptions(
      ['--outcome-sizes', '200000,50_000', '--rounds', '5', '--sizes', 'none'],
      {},
    );
    expect(options.outcomeSizes).toEqual([50_000, 200_000]);
    expect(options.storeCounts.rounds).toBe(5);
    expect(options.sizes).toEqual([]);
    expect(parseBenchOptions([], { BENCH_INSIGHTS_SIZES: '30000' }).outcomeSizes).toEqual([30_000]);
  });

  it('refuses sizes and rounds out of range', () => {
    expect(() => parseBenchOptions(['--outcome-sizes', '2000000'], {})).toThrow(/1,000,000/);
    expect(() => parseBenchOptions(['--rounds', '0'], {})).toThrow(/--rounds/);
  });
});

describe('rotate', () => {
  it('gives each configuration each place in turn', () => {
    expect(rotate(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(rotate(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(rotate(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
  });
});
