import type { Logger } from 'pino';
import type { StoreError } from './errors';
import type { MemoryStore } from './memory-store';
import { LockGroup } from './lock-group';
import {
  prepareLockContextBatch,
  prepareLockGroup,
  type LockContextBatchInput,
  type LockContextBatchResult,
} from './lock-context-batch';
import type { Database } from 'better-sqlite3';
import { prepareContextDashboard } from './context-dashboard';
import { prepareContextExplore } from './explore-contexts';
import { prepareLockContext } from './lock-context';
import { prepareOutcomeRecorder } from './record-outcome';
import { prepareLockWithOutcome, type LockWithOutcomeInput } from './lock-with-outcome';
import { openDatabase } from './open-database';
import type { OutcomeBrowser } from './outcome-browser';
import { prepareOutcomeBrowser } from './sqlite-outcome-browser';
import {
  prepareOutcomeInsights,
  type OutcomeInsightsInput,
  type OutcomeInsightsResult,
} from './outcome-insights';
import { prepareRecallBatch } from './recall-batch';
import { prepareRecallContext } from './recall-context';
import { prepareProjectCatalog, type ProjectCatalog, type ProjectSummary } from './projects';
import { AccessCounts } from './access-counts';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget } from './reply-budget';
import { prepareContextSearch } from './search-contexts';
import { prepareUnlockContext } from './unlock-context';
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

/** Where a {@link ContextStore} keeps its data, and the limits and clock it enforces. */
export interface ContextStoreOptions extends StoreSettings {
  /** SQLite file (created when missing), or `:memory:`. */
  readonly dbPath: string;
  /** Where the store logs what it cannot do at once (held access counts); default: nowhere. */
  readonly logger?: Logger;
}

/**
 * The SQLite adapter of {@link MemoryStore}: Stompy's contexts on one SQLite file, with immutable
 * versions per topic and project, tags, priorities, archiving, BM25 + recency search and the outcome
 * counts insights read. The work is synchronous (better-sqlite3); each method runs in one transaction,
 * so several processes may share the file. `lock` groups the calls of one event-loop turn into one
 * transaction.
 */
export class ContextStore implements MemoryStore {
  readonly kind = 'sqlite' as const;
  private readonly lockContext: (input: LockContextInput) => LockContextResult;
  private readonly lockContextBatch: (input: LockContextBatchInput) => LockContextBatchResult;
  private readonly lockGroup: LockGroup;
  private readonly writeGroup: (
    contexts: readonly LockWithOutcomeInput[],
  ) => (LockContextResult | StoreError)[];
  private readonly recallContext: (input: RecallContextInput) => RecallContextResult;
  private readonly recallBatchOf: (input: RecallBatchInput) => RecallBatchResult;
  private readonly unlockContext: (input: UnlockContextInput) => UnlockContextResult;
  private readonly searchContexts: (input: ContextSearchInput, budget?: ReplyBudget) => ContextSearchResult;
  private readonly exploreContexts: (input: ContextExploreInput) => ContextExploreResult;
  private readonly contextDashboard: (input: ContextDashboardInput) => ContextDashboardResult;
  private readonly outcomeInsights: (input: OutcomeInsightsInput) => OutcomeInsightsResult;
  private readonly projects: ProjectCatalog;
  /** The reads behind the web page. */
  readonly outcomes: OutcomeBrowser;
  private readonly accessCounts: AccessCounts;

  /** Opens (creating and migrating it when needed) the store at `options.dbPath`. */
  static open(options: ContextStoreOptions): ContextStore {
    return new ContextStore(openDatabase(options.dbPath, options.now), options, options.logger);
  }

  private constructor(
    private readonly db: Database,
    /** The limits, default project and clock this store enforces. */
    readonly settings: StoreSettings,
    logger: Logger | undefined,
  ) {
    this.accessCounts = new AccessCounts(db, logger);
    this.lockContext = prepareLockContext(db, settings);
    const recorder = prepareOutcomeRecorder(db);
    this.writeGroup = prepareLockGroup(db, prepareLockWithOutcome(db, this.lockContext, recorder), recorder);
    this.lockContextBatch = prepareLockContextBatch(this.writeGroup);
    // Through the instance, so whoever wraps lockMany (the benchmark's meter) sees the group writes.
    this.lockGroup = new LockGroup((contexts) => this.lockMany(contexts));
    this.recallContext = prepareRecallContext(db, settings, this.accessCounts);
    this.recallBatchOf = prepareRecallBatch(db, settings);
    this.unlockContext = prepareUnlockContext(db, settings);
    this.searchContexts = prepareContextSearch(db, settings);
    this.exploreContexts = prepareContextExplore(db, settings);
    this.contextDashboard = prepareContextDashboard(db, settings);
    this.outcomeInsights = prepareOutcomeInsights(db, settings);
    this.projects = prepareProjectCatalog(db, settings);
    this.outcomes = prepareOutcomeBrowser(db, settings);
  }

  /** `lock_context` with group commit: calls made in the same turn of the event loop share one transaction. */
  lock(input: LockContextInput): Promise<LockContextResult> {
    return this.lockGroup.lock(input);
  }

  /** `lock_context` alone, in its own transaction, synchronously (benchmarks and tests). */
  lockNow(input: LockContextInput): LockContextResult {
    return this.lockContext(input);
  }

  /** Many `lock_context` calls in one transaction, each in its own savepoint. */
  async lockMany(contexts: readonly LockWithOutcomeInput[]): Promise<(LockContextResult | StoreError)[]> {
    return this.writeGroup(contexts);
  }

  /** `lock_context_batch`: many locks in one transaction, refusals per entry, outcomes counted once. */
  async lockBatch(input: LockContextBatchInput): Promise<LockContextBatchResult> {
    return this.lockContextBatch(input);
  }

  /**
   * `recall_context`: one version of a topic (latest by default), counting the access. Never waits on
   * another process's write lock: the count is then held and written later (see access-counts.ts).
   */
  async recall(input: RecallContextInput): Promise<RecallContextResult> {
    return this.recallContext(input);
  }

  /** `recall_batch`: the latest version of up to 50 topics in one query. */
  async recallBatch(input: RecallBatchInput): Promise<RecallBatchResult> {
    return this.recallBatchOf(input);
  }

  /** `unlock_context`: archives (default) or deletes versions of a topic or of topics matching a glob. */
  async unlock(input: UnlockContextInput): Promise<UnlockContextResult> {
    return this.unlockContext(input);
  }

  /** `context_search`: BM25 + recency search over the latest version of each topic, content within `budget`. */
  async search(input: ContextSearchInput, budget?: ReplyBudget): Promise<ContextSearchResult> {
    return this.searchContexts(input, budget);
  }

  /** A budget of content for one reply (`maxReplyContentBytes`), for searches that share one reply. */
  replyBudget(): ReplyBudget {
    return new ReplyBudget(this.settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES);
  }

  /** `context_explore`: a project's topics, most recently updated first. */
  async explore(input: ContextExploreInput = {}): Promise<ContextExploreResult> {
    return this.exploreContexts(input);
  }

  /** `context_dashboard`: a project's totals and recent topics. */
  async dashboard(input: ContextDashboardInput = {}): Promise<ContextDashboardResult> {
    return this.contextDashboard(input);
  }

  /** `outcome_insights`: what the memory learned about keys, over their whole history. */
  async insights(input: OutcomeInsightsInput): Promise<OutcomeInsightsResult> {
    return this.outcomeInsights(input);
  }

  /** Every project, by name; the default project is always listed. */
  async listProjects(): Promise<readonly ProjectSummary[]> {
    return this.projects.list();
  }

  /** One project; undefined when no context was ever locked in it and it is not the default. */
  async project(name: string): Promise<ProjectSummary | undefined> {
    return this.projects.get(name);
  }

  /** SQLite has no connection pool. */
  poolUsage(): undefined {
    return undefined;
  }

  /** Resolves when the file answers a trivial read (which never waits on a writer under WAL); rejects once closed. */
  async ping(): Promise<void> {
    if (!this.db.open) throw new Error('the memory store is closed');
    this.db.prepare('SELECT 1 FROM contexts LIMIT 1').get();
  }

  /** Closes the database, writing the access counts it still holds; the store cannot be used afterwards. */
  async close(): Promise<void> {
    this.accessCounts.close();
    if (this.db.open) this.db.close();
  }
}
