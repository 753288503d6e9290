/** How long a failed memory server is left alone, and how that grows while it keeps failing. */
export interface CoolDownPolicy {
  /** The first cool-down after a failure, in ms; it doubles with each failure in a row. */
  readonly initialMs: number;
  /** The longest cool-down, in ms. */
  readonly maxMs: number;
}

/** Failover's default: 30 s after the first failure, doubling to at most 5 minutes. */
export const DEFAULT_COOL_DOWN: CoolDownPolicy = { initialMs: 30_000, maxMs: 300_000 };

/** One memory server of several, as failover sees it (`StompyPlugin.backlog().memoryServers`). */
export interface MemoryServerState {
  /** The server's URL without its query (never a token: the token is a header). */
  readonly url: string;
  /** Whether calls go to this server now. */
  readonly current: boolean;
  /** Whether it failed and its cool-down has not ended: calls go elsewhere unless every server is down. */
  readonly down: boolean;
  /** Failures in a row (0 once it answers again). */
  readonly failures: number;
  /** When down, the ms until its cool-down ends and a call tries it again. */
  readonly retryInMs: number | undefined;
}

/** A server's failures in a row and when its cool-down ends (epoch ms; 0: up). */
interface Health {
  failures: number;
  downUntil: number;
}

/**
 * The health of several memory servers given in order of preference, and which one calls go to.
 * Pure bookkeeping, no I/O: `plan` says which servers a call tries, `failed` and `answered` record
 * what happened. The policy: a call goes to the first server (in the order given) that is not cooling
 * down, so once a preferred server's cool-down ends the next call tries it again (failback). A server
 * that fails cools down for `initialMs`, doubling with each failure in a row up to `maxMs`. When every
 * server is cooling down, a call tries the one whose cool-down ends first: one attempt, as with a
 * single server that is down.
 */
export class ServerRoster {
  private readonly health: Health[];
  private currentIndex = 0;

  constructor(
    private readonly urls: readonly string[],
    private readonly coolDown: CoolDownPolicy = DEFAULT_COOL_DOWN,
  ) {
    this.health = urls.map(() => ({ failures: 0, downUntil: 0 }));
  }

  /** The server calls go to now (its index). */
  get current(): number {
    return this.currentIndex;
  }

  /** The URL of server `index`, for logs. */
  url(index: number): string {
    return this.urls[index] ?? '';
  }

  /**
   * The servers a call tries, in order: those not cooling down, in order of preference; when every
   * server is cooling down, only the one whose cool-down ends first.
   */
  plan(now: number): number[] {
    const up = this.health.flatMap((h, i) => (h.downUntil <= now ? [i] : []));
    if (up.length > 0) return up;
    let soonest = 0;
    this.health.forEach((h, i) => {
      if (h.downUntil < (this.health[soonest]?.downUntil ?? Infinity)) soonest = i;
    });
    return [soonest];
  }

  /** Whether server `index` failed last time it was tried (a call to it now is a probe). */
  isProbe(index: number): boolean {
    return (this.health[index]?.failures ?? 0) > 0;
  }

  /** Whether every server is cooling down. */
  allDown(now: number): boolean {
    return this.health.every((h) => h.downUntil > now);
  }

  /**
   * Server `index` answered (a result or a refusal) at `now`: it is up, and calls go to it if it is
   * preferred to the current server or the current one is cooling down (a late answer from a server
   * calls already left does not pull them back). Returns the index calls went to before, when that
   * changed.
   */
  answered(index: number, now: number): number | undefined {
    const health = this.health[index];
    if (health) {
      health.failures = 0;
      health.downUntil = 0;
    }
    if (index === this.currentIndex) return undefined;
    const currentUp = (this.health[this.currentIndex]?.downUntil ?? 0) <= now;
    if (index > this.currentIndex && currentUp) return undefined;
    const previous = this.currentIndex;
    this.currentIndex = index;
    return previous;
  }

  /**
   * Server `index` failed at `now`: it cools down (unless it already does: calls that failed together
   * count once) and calls move to the next server not cooling down, if any. Returns its cool-down in
   * ms and the server calls move to (undefined when they stay: no other server is up).
   */
  failed(index: number, now: number): { coolDownMs: number; movedTo: number | undefined } {
    const health = this.health[index];
    if (!health) return { coolDownMs: 0, movedTo: undefined };
    if (health.downUntil <= now) {
      health.failures += 1;
      const doublings = Math.min(health.failures - 1, 30);
      health.downUntil = now + Math.min(this.coolDown.maxMs, this.coolDown.initialMs * 2 ** doublings);
    }
    const coolDownMs = health.downUntil - now;
    if (index !== this.currentIndex) return { coolDownMs, movedTo: undefined };
    const next = this.plan(now).find((i) => i !== index && (this.health[i]?.downUntil ?? 0) <= now);
    if (next === undefined) return { coolDownMs, movedTo: undefined };
    this.currentIndex = next;
    return { coolDownMs, movedTo: next };
  }

  /** Every server's state at `now`, in order of preference. */
  states(now: number): readonly MemoryServerState[] {
    return this.health.map((h, i) => ({
      url: this.url(i),
      current: i === this.currentIndex,
      down: h.downUntil > now,
      failures: h.failures,
      retryInMs: h.downUntil > now ? h.downUntil - now : undefined,
    }));
  }
}
