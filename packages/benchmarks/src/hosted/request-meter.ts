/** What a memory server answered over a stretch of time, as a plan's rate limit sees it. */
export interface RequestUse {
  /** Requests answered, 429s included. */
  requests: number;
  /** Requests refused with HTTP 429 (over the per-minute or the burst cap). */
  rejected: number;
  /** Requests per minute over the stretch, 429s left out: the calls that did work. */
  perMinute: number;
  /** The most requests (429s left out) in one minute of the server's windows (minutes aligned on the epoch). */
  busiestMinute: number;
  /** The most requests (429s included) in any 10 s of the server's windows (aligned on the epoch). */
  busiest10s: number;
}

const MINUTE_MS = 60_000;
const TEN_S_MS = 10_000;

/**
 * Counts the requests a memory server answers (fed by `serveHttp`'s `onResponse`): when each was
 * answered and whether it was a 429, so a run can say how many calls a minute it used against the
 * plan's cap, in the same epoch-aligned windows the hosted emulation enforces.
 */
export class RequestMeter {
  private readonly answeredAt: number[] = [];
  private readonly refused: boolean[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Records one answered request with its HTTP status. */
  record(status: number): void {
    this.answeredAt.push(this.now());
    this.refused.push(status === 429);
  }

  /** Requests answered in the last minute, and 429s among them. */
  lastMinute(): { requests: number; rejected: number } {
    return this.between(this.now() - MINUTE_MS, this.now() + 1);
  }

  /** 429s so far. */
  get rejectedSoFar(): number {
    return this.refused.filter(Boolean).length;
  }

  /** The use from `fromMs` until `toMs` (epoch ms). */
  use(fromMs: number, toMs: number): RequestUse {
    const { requests, rejected } = this.between(fromMs, toMs);
    const minutes = new Map<number, number>();
    const tens = new Map<number, number>();
    this.answeredAt.forEach((at, i) => {
      if (at < fromMs || at >= toMs) return;
      const ten = Math.floor(at / TEN_S_MS);
      tens.set(ten, (tens.get(ten) ?? 0) + 1);
      if (this.refused[i]) return;
      const minute = Math.floor(at / MINUTE_MS);
      minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
    });
    const spanMinutes = Math.max(toMs - fromMs, 1) / MINUTE_MS;
    return {
      requests,
      rejected,
      perMinute: (requests - rejected) / spanMinutes,
      busiestMinute: Math.max(0, ...minutes.values()),
      busiest10s: Math.max(0, ...tens.values()),
    };
  }

  private between(fromMs: number, toMs: number): { requests: number; rejected: number } {
    let requests = 0;
    let rejected = 0;
    this.answeredAt.forEach((at, i) => {
      if (at < fromMs || at >= toMs) return;
      requests += 1;
      if (this.refused[i]) rejected += 1;
    });
    return { requests, rejected };
  }
}
