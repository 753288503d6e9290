// What the memory learned about one key, as activities, workflows, tools and pages read it.

/** Runs and failures of a subset of a key's outcomes, with the failure rate smoothed toward the base rate. */
export interface RunCount {
  readonly runs: number;
  readonly failures: number;
  /** Failures over runs, smoothed toward the base rate: one failure in one run is not 100%. */
  readonly failureRate: number;
}

/**
 * One hour-of-week window of a key: outcomes on the default path (no handling label), recency-weighted
 * too. Its label (`Tuesdays 15:00-16:00 UTC`) is `describeWindow(window, timeZone)`.
 */
export interface WindowCount {
  /** 0 (Monday 00:00-01:00) to 167 (Sunday 23:00-24:00), in the key's time zone. */
  readonly window: number;
  readonly runs: number;
  readonly failures: number;
  /** Runs and failures weighted by recency (half-life), to 3 decimals, as the pattern test counts them. */
  readonly weightedRuns: number;
  readonly weightedFailures: number;
  /** Occurrences of the window (distinct hours of event time) with at least one failure. */
  readonly failedOccurrences: number;
}

/** A window in which a key fails far more than elsewhere, beyond what chance explains. */
export interface FailurePattern {
  readonly window: number;
  readonly label: string;
  readonly runs: number;
  readonly failures: number;
  /** The window's failure rate, smoothed toward the rate elsewhere. */
  readonly failureRate: number;
  /** The key's failure rate outside the window. */
  readonly otherwiseRate: number;
  /** The chance of so many failures if the window were like the rest (before the 168-window correction). */
  readonly pValue: number;
  /** E.g. `chargePayment failed 7 of 9 times on Tuesdays 15:00-16:00 UTC (4% otherwise)`. */
  readonly reason: string;
}

/** How often an issue (error type) was seen. */
export interface IssueCount {
  readonly type: string;
  readonly count: number;
}

/** The outcomes of one worker build id or deployment version. */
export interface VersionCount extends RunCount {
  readonly version: string;
  /** Event time of its first outcome (ISO 8601). */
  readonly firstSeen: string;
}

/** A version that fails clearly more than the one before it. */
export interface Regression {
  readonly version: string;
  readonly previousVersion: string;
  readonly runs: number;
  readonly failures: number;
  readonly failureRate: number;
  readonly previousRate: number;
  readonly previousRuns: number;
  readonly pValue: number;
  /** E.g. `since build 2026.11.3, reserveInventory fails 31% (40 runs), was 2%`. */
  readonly reason: string;
}

/** Default-path (unlabelled) runs and failures: the evidence risk weighs, so handling never hides a cause. */
export interface UnhandledCounts {
  readonly runs: number;
  readonly failures: number;
  /**
   * Whether those failures recur: they happened at two different event times at least. The retries
   * of one bad order share its event time; one bad order is not a customer who keeps failing.
   */
  readonly recurring: boolean;
  readonly byActivityType: Readonly<Record<string, { readonly runs: number; readonly failures: number }>>;
}

/** What the memory learned about one key (`customer:C9`, `activity:chargePayment`) over its history. */
export interface KeyInsights {
  readonly key: string;
  /** True when computed over the key's whole history; false when from the outcomes recall could fetch. */
  readonly exact: boolean;
  readonly runs: number;
  readonly failures: number;
  readonly failureRate: number;
  /** The time zone of its windows. */
  readonly timeZone: string;
  /** The windows it has outcomes in (default path), in window order. */
  readonly windows: readonly WindowCount[];
  /** Windows where it fails far more than elsewhere, strongest first. */
  readonly patterns: readonly FailurePattern[];
  /** Error types, most frequent first. */
  readonly commonIssues: readonly IssueCount[];
  readonly lastFailure: { readonly at: string; readonly type: string; readonly message: string } | undefined;
  /** Duration percentiles (within 2%), in milliseconds. */
  readonly durationMs: { readonly p50: number; readonly p95: number } | undefined;
  /** Its runs per workflow type and activity type: for an entity, its profile across everything it touched. */
  readonly byType: {
    readonly workflow: Readonly<Record<string, RunCount>>;
    readonly activity: Readonly<Record<string, RunCount>>;
  };
  /** Runs per handling label (`default` for attempts that recorded none): what worked before. */
  readonly handling: Readonly<Record<string, RunCount>>;
  /** Per worker version, in the order they first appeared. */
  readonly versions: readonly VersionCount[];
  /** The latest version that fails clearly more than the one before it. */
  readonly regression: Regression | undefined;
  /** Default-path counts, the evidence behind risk. */
  readonly unhandled: UnhandledCounts;
}

/** How the memory weighs evidence. */
export interface InsightSettings {
  /**
   * Half-life of the evidence behind time patterns, in days of event time. An outcome's weight halves
   * for every half-life between it and the latest default-path outcome in the same window: a pattern
   * that truly ends fades as its window runs well again. Default 28.
   */
  readonly halfLifeDays: number;
}

/** The defaults of {@link InsightSettings}. */
export const DEFAULT_INSIGHT_SETTINGS: InsightSettings = Object.freeze({ halfLifeDays: 28 });
