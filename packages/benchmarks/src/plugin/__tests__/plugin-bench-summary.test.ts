import { measuringShare, summarise, spreadOf } from '../plugin-bench-summary';
import { checkTargets } from '../plugin-bench-targets';
import type { PluginBenchRun, RoundResult } from '../plugin-rounds';
import type { Configuration } from '../worker-protocol';

/** A round result: 100 workflows in `seconds`, with `cpuMs` of worker CPU and an event-loop delay p99. */
function result(
  round: number,
  configuration: Configuration,
  seconds: number,
  cpuMs: number,
  p99: number,
): RoundResult {
  return {
    round,
    configuration,
    workflows: 100,
    seconds,
    cost: {
      cpuMs,
      wallMs: seconds * 1000,
      drainMs: 0,
      eventLoopDelay: { p50: 1, p99, max: p99 + 1 },
      probeMs: configuration === 'without' ? [0.1, 0.1] : [1.1, 2.1],
      window: { startUs: 0, endUs: 1 },
    },
    othersShare: 0,
    memoryServerMs: undefined,
    loadAfter: 0.5,
    quietWaitMs: 0,
  };
}

// Round 2 runs at half the speed of round 1 for everyone: paired ratios do not move.
const run: PluginBenchRun = {
  rounds: [
    result(1, 'without', 10, 2000, 10),
    result(1, 'embedded', 10.5, 2500, 12),
    result(1, 'http', 11, 2600, 20),
    result(1, 'otel', 11, 2400, 11),
    result(2, 'without', 20, 2000, 10),
    result(2, 'embedded', 20.4, 2300, 14),
    result(2, 'http', 22, 2800, 22),
    result(2, 'otel', 22, 2400, 11),
  ],
  firstSeen: new Map<Configuration, number[]>([['http', [10.1, 30.1]]]),
  othersShare: 0,
};

describe('summarise', () => {
  const summary = summarise(run);

  it("pairs each round's throughput with the same round's no-plugin run", () => {
    const ratio = summary.byConfiguration.get('embedded')?.ratio;
    expect(ratio?.min).toBeCloseTo(10 / 10.5);
    expect(ratio?.max).toBeCloseTo(20 / 20.4);
    expect(summary.byConfiguration.get('http')?.ratio.median).toBeCloseTo(10 / 11);
  });

  it('gives worker CPU per workflow and the event-loop delay over no plugin, per round', () => {
    expect(summary.byConfiguration.get('embedded')?.cpuPerWorkflowMs).toEqual({
      median: 23,
      min: 23,
      max: 25,
    });
    expect(summary.byConfiguration.get('http')?.delayP99OverWithout).toEqual({
      median: 10,
      min: 10,
      max: 12,
    });
  });

  it('subtracts the no-plugin median from the probed latencies', () => {
    expect(summary.baselineMs).toBeCloseTo(0.1);
    expect(summary.byConfiguration.get('embedded')?.warm.p50).toBeCloseTo(1);
    expect(summary.firstSeen.get('http')?.p99).toBeCloseTo(30);
  });

  it('says which of the targets were met', () => {
    const verdicts = checkTargets(summary).map((t) => [t.target.split(':')[0], t.met]);
    expect(verdicts).toEqual([
      ['throughput, embedded memory', false],
      ['throughput, memory over HTTP', false],
      ['worker CPU per workflow, embedded', true],
      ['worker CPU per workflow, http', false],
      ['event-loop delay p99, embedded', true],
      ['event-loop delay p99, http', false],
      ['first-seen key over HTTP', false],
    ]);
  });
});

describe('spreadOf', () => {
  it('leaves out values that are not finite and gives NaN for none', () => {
    expect(spreadOf([3, NaN, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spreadOf([]).median).toBeNaN();
  });
});

describe('measuringShare', () => {
  it("weights each batch's neighbours by its time and skips the unknown", () => {
    const batches = [
      { seconds: 30, othersShare: 0.1 },
      { seconds: 10, othersShare: 0.5 },
      { seconds: 99, othersShare: undefined },
    ];
    expect(measuringShare(batches)).toBeCloseTo(0.2);
    expect(measuringShare([])).toBeUndefined();
  });
});
