/** The circuit breaker's state: `half-open` lets one probe through after the cool-down. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What an unanswered call did to the circuit. */
export type UnavailableEffect = 'counted' | 'opened' | 'reopened';

/**
 * Stops calling a memory server that keeps not answering: after `failureThreshold` unanswered calls
 * in a row the circuit opens and no call goes for `coolDownMs`; then one probe goes (half-open). An
 * answer, even a refusal, closes it: the server is reachable. Pure state, no timers: the delivery
 * loop asks it how long to wait.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private openUntil = 0;
  private failures = 0;

  constructor(
    private readonly failureThreshold: number,
    private readonly coolDownMs: number,
  ) {}

  /** The state now. */
  get state(): CircuitState {
    return this.current;
  }

  /** Unanswered calls in a row. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** How long no call may go, in ms (0 unless open and cooling down). */
  waitMs(now: number): number {
    return this.current === 'open' ? Math.max(0, this.openUntil - now) : 0;
  }

  /** Turns an open circuit whose cool-down ended half-open; true when it just did (the next call is the probe). */
  probeIfCooledDown(now: number): boolean {
    if (this.current !== 'open' || now < this.openUntil) return false;
    this.current = 'half-open';
    return true;
  }

  /** The server answered; true when that closed a circuit that was not closed. */
  onAnswer(): boolean {
    this.failures = 0;
    if (this.current === 'closed') return false;
    this.current = 'closed';
    return true;
  }

  /** A call went unanswered: a failed probe opens the circuit again, the threshold opens it. */
  onUnavailable(now: number): UnavailableEffect {
    this.failures += 1;
    if (this.current === 'half-open') {
      this.open(now);
      return 'reopened';
    }
    if (this.current === 'closed' && this.failures >= this.failureThreshold) {
      this.open(now);
      return 'opened';
    }
    return 'counted';
  }

  private open(now: number): void {
    this.current = 'open';
    this.openUntil = now + this.coolDownMs;
  }
}
