import { optionalNumber } from './option-checks';
import { StompyOptionsError } from './options-error';

/** The call budget recall and delivery share, as plain data (it crosses into the memory thread). */
export interface CallBudgetSettings {
  readonly perMinute: number;
  readonly burstPer10s: number;
  readonly recallFloor: number;
}

/** Validates `memory.maxCallsPerMinute`, `memory.burst` and `memory.recallShare`; undefined when there is no cap. */
export function resolveCallBudget(memory: Record<string, unknown>): CallBudgetSettings | undefined {
  const perMinute = optionalNumber('memory.maxCallsPerMinute', memory.maxCallsPerMinute, 1, 1_000_000);
  const burst = optionalNumber('memory.burst', memory.burst, 1, 1_000_000);
  const share = optionalNumber('memory.recallShare', memory.recallShare, 0, 1);
  if (perMinute === undefined) {
    if (burst !== undefined || share !== undefined) {
      throw new StompyOptionsError(
        'memory.burst and memory.recallShare apply to memory.maxCallsPerMinute: set it too (e.g. 60 for hosted Stompy’s free plan)',
      );
    }
    return undefined;
  }
  if (burst !== undefined && burst > perMinute) {
    throw new StompyOptionsError(
      `memory.burst (${burst}) cannot be more than memory.maxCallsPerMinute (${perMinute})`,
    );
  }
  if (share !== undefined && (share <= 0 || share >= 1)) {
    throw new StompyOptionsError(`memory.recallShare must be over 0 and under 1, not ${share}`);
  }
  return {
    perMinute,
    burstPer10s: burst ?? Math.max(1, Math.ceil(perMinute / 4)),
    recallFloor: share ?? 0.5,
  };
}
