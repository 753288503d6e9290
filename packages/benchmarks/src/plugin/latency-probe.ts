import { activityInfo } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { attemptKey, startedAt } from './bench-activities';

/**
 * Measures, outside the plugin, the time from an attempt reaching the worker's activity interceptors
 * to its function running: what a plugin's interceptors (recall, keys, header, spans) add in front of
 * an activity. Given first in `interceptors.activity`, it is the outermost interceptor.
 */
export class LatencyProbe {
  private samples: number[] = [];
  private onlyActivity: string | undefined;

  /** The interceptor factory to give the worker. */
  readonly factory: ActivityInterceptorsFactory = () => ({
    inbound: {
      execute: async (input, next) => {
        const before = performance.now();
        const result = await next(input);
        const info = activityInfo();
        const key = attemptKey(info.workflowExecution?.workflowId, info.activityId);
        const started = startedAt.get(key);
        startedAt.delete(key);
        if (
          started !== undefined &&
          (this.onlyActivity === undefined || info.activityType === this.onlyActivity)
        ) {
          this.samples.push(started - before);
        }
        return result;
      },
    },
  });

  /** Forgets the samples so far; from now on samples only `onlyActivity`'s attempts, when given. */
  restart(onlyActivity?: string): void {
    this.samples = [];
    this.onlyActivity = onlyActivity;
  }

  /** The samples since the last restart, in milliseconds. */
  taken(): number[] {
    return this.samples;
  }
}
