import type { StoreError } from './errors';
import type { LockContextBatchInput, LockContextBatchResult } from './lock-context-batch';
import type { LockWithOutcomeInput } from './lock-with-outcome';
import type { OutcomeBrowser } from './outcome-browser';
import type { OutcomeInsightsInput, OutcomeInsightsResult } from './outcome-insights';
import type { PoolUsage } from '../metrics/server-metrics';
import type { ProjectSummary } from './projects';
import type { ReplyBudget } from './reply-budget';
import type { StoreSettings } from './settings';
import type {
  ContextDashboardInput,
  ContextDashboardResult,
  ContextExploreInput,
  ContextExploreResult,
  ContextSearchInput,
  ContextSearchResult,
  LockContextInput,
  LockContextResult,
  RecallBatchInput,
  RecallBatchResult,
  RecallContextInput,
  RecallContextResult,
  UnlockContextInput,
  UnlockContextResult,
} from './types';

/** The databases a memory server can keep its contexts in. */
export type StoreKind = 'sqlite' | 'postgres';

/**
 * Stompy's contexts and this server's outcome counts on one database: what every tool, the REST API
 * and the command line use, whichever adapter is behind it (`ContextStore` on a SQLite file,
 * `PostgresStore` on a PostgreSQL database). Both adapters pass one conformance suite: the same input
 * gives the same result or the same refusal. Every method validates its input and rejects with a
 * `StoreError` (changing nothing) when it is refused. Argument and result shapes are Stompy's tools'.
 */
export interface MemoryStore {
  /** Which database this is. */
  readonly kind: StoreKind;
  /** The limits, default project and clock this store enforces. */
  readonly settings: StoreSettings;
  /**
   * `lock_context`: stores content as the topic's next version (or returns the latest when identical).
   * Calls made together may be written in one transaction; each gets its own result or refusal.
   */
  lock(input: LockContextInput): Promise<LockContextResult>;
  /**
   * Many `lock_context` calls in one transaction, each refused or stored on its own: per entry, a result
   * or the StoreError that refused it, in order. An entry's outcome is counted with its context.
   */
  lockMany(contexts: readonly LockWithOutcomeInput[]): Promise<(LockContextResult | StoreError)[]>;
  /** `lock_context_batch` (this server's extra): {@link lockMany} with Stompy-shaped refusals per entry. */
  lockBatch(input: LockContextBatchInput): Promise<LockContextBatchResult>;
  /** `recall_context`: one version of a topic (latest by default), counting the access. */
  recall(input: RecallContextInput): Promise<RecallContextResult>;
  /** `recall_batch`: the latest version of up to 50 topics. */
  recallBatch(input: RecallBatchInput): Promise<RecallBatchResult>;
  /** `unlock_context`: archives (default) or deletes versions of a topic or of topics matching a glob. */
  unlock(input: UnlockContextInput): Promise<UnlockContextResult>;
  /**
   * `context_search`: full-text relevance blended with recency, over the latest version of each topic.
   * Results carry content within `budget` (default: one reply's, {@link replyBudget}); past it they
   * come with `content: ""` and `truncated: true`.
   */
  search(input: ContextSearchInput, budget?: ReplyBudget): Promise<ContextSearchResult>;
  /** A budget of content for one reply (`maxReplyContentBytes`), for searches that share one reply. */
  replyBudget(): ReplyBudget;
  /** `context_explore`: a project's topics, most recently updated first. */
  explore(input?: ContextExploreInput): Promise<ContextExploreResult>;
  /** `context_dashboard`: a project's totals and recent topics. */
  dashboard(input?: ContextDashboardInput): Promise<ContextDashboardResult>;
  /** `outcome_insights` (this server's extra): what the memory learned about keys, over their whole history. */
  insights(input: OutcomeInsightsInput): Promise<OutcomeInsightsResult>;
  /** The read-only reads behind the web page: keys, hours, days and outcomes, a page at a time. */
  readonly outcomes: OutcomeBrowser;
  /** Every project, by name; the default project is always listed. */
  listProjects(): Promise<readonly ProjectSummary[]>;
  /** One project; undefined when no context was ever locked in it and it is not the default. */
  project(name: string): Promise<ProjectSummary | undefined>;
  /** The connection pool's usage (PostgreSQL), or undefined for a store without a pool (SQLite). */
  poolUsage(): PoolUsage | undefined;
  /** Resolves when the database answers a trivial read; rejects (within seconds) when it does not. */
  ping(): Promise<void>;
  /** Closes the database (waiting for calls in flight); the store cannot be used afterwards. */
  close(): Promise<void>;
}
