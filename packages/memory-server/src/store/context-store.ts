import type { StoreError } from './errors';
import { LockGroup } from './lock-group';
import {
  prepareLockContextBatch,
  prepareLockGroup,
  type LockContextBatchInput,
  type LockContextBatchResult,
} from './lock-context-batch';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { prepareContextDashboard } from './context-dashboard';
import { prepareContextExplore } from './explore-contexts';
import { prepareLockContext } from './lock-context';
import { prepareOutcomeRecorder } from './record-outcome';
import { prepareLockWithOutcome, type LockWithOutcomeInput } from './lock-with-outcome';
import { openDatabase } from './open-database';
import {
  prepareOutcomeInsights,
  type OutcomeInsightsInput,
  type OutcomeInsightsResult,
} from './outcome-insights';
import { prepareRecallBatch } from './recall-batch';
import { prepareRecallContext } from './recall-context';
import { AccessCounts } from './access-counts';
import { DEFAULT_MAX_REPLY_CONTENT_BYTES, ReplyBudget } from './reply-budget';
import { prepareProjectCatalog, type ProjectCatalog } from './projects';
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
 * Stompy's contexts on one SQLite file: immutable versions per topic and project, tags, priorities,
 * archiving, and BM25 + recency search. Every method validates its input and throws a `StoreError`
 * (changing nothing) when it is refused. Methods are synchronous, except {@link lockSoon}, which
 * groups concurrent calls; each runs in one transaction, so several processes may share the file. Argument and result shapes are those of Stompy's tools.
 */
export class ContextStore {
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
  /** The projects of this store (those of the REST API's project routes). */
  readonly projects: ProjectCatalog;
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
  }

  /** `lock_context`: stores content as the topic's next version (or returns the latest when identical). */
  lock(input: LockContextInput): LockContextResult {
    return this.lockContext(input);
  }

  /**
   * `lock_context` with group commit: calls made in the same turn of the event loop are written in one
   * transaction at its end. The same result or refusal as {@link lock}; what the server's tools use.
   */
  lockSoon(input: LockContextInput): Promise<LockContextResult> {
    return this.lockGroup.lock(input);
  }

  /**
   * Many `lock_context` calls in one transaction, each in its own savepoint: a result or the
   * StoreError that refused it, per entry, in order. What {@link lockSoon} groups calls into.
   */
  lockMany(contexts: readonly LockWithOutcomeInput[]): (LockContextResult | StoreError)[] {
    return this.writeGroup(contexts);
  }

  /**
   * `lock_context_batch` (this server's extra): many locks in one transaction, refusals per entry; an
   * entry's outcome is counted with its context, once per project and topic.
   */
  lockBatch(input: LockContextBatchInput): LockContextBatchResult {
    return this.lockContextBatch(input);
  }

  /**
   * `recall_context`: one version of a topic (latest by default), counting the access. Never waits on
   * another process's write lock: the count is then held and written later (see access-counts.ts).
   */
  recall(input: RecallContextInput): RecallContextResult {
    return this.recallContext(input);
  }

  /** `recall_batch`: the latest version of up to 50 topics in one query. */
  recallBatch(input: RecallBatchInput): RecallBatchResult {
    return this.recallBatchOf(input);
  }

  /** `unlock_context`: archives (default) or deletes versions of a topic or of topics matching a glob. */
  unlock(input: UnlockContextInput): UnlockContextResult {
    return this.unlockContext(input);
  }

  /**
   * `context_search`: BM25 + recency search over the latest version of each topic, carrying content
   * within `budget` (default: a reply's own, `maxReplyContentBytes`).
   */
  search(input: ContextSearchInput, budget?: ReplyBudget): ContextSearchResult {
    return this.searchContexts(input, budget);
  }

  /** A budget of content for one reply (`maxReplyContentBytes`), for searches that share one reply. */
  replyBudget(): ReplyBudget {
    return new ReplyBudget(this.settings.maxReplyContentBytes ?? DEFAULT_MAX_REPLY_CONTENT_BYTES);
  }

  /** `context_explore`: a project's topics, most recently updated first. */
  explore(input: ContextExploreInput = {}): ContextExploreResult {
    return this.exploreContexts(input);
  }

  /** `context_dashboard`: a project's totals and recent topics. */
  dashboard(input: ContextDashboardInput = {}): ContextDashboardResult {
    return this.contextDashboard(input);
  }

  /** `outcome_insights` (this server's extra): what the memory learned about keys, over their whole history. */
  insights(input: OutcomeInsightsInput): OutcomeInsightsResult {
    return this.outcomeInsights(input);
  }

  /**
   * Whether the database answers a trivial read (which never waits on a writer under WAL): false once
   * closed; a failing read throws its error, for the caller to log.
   */
  isReachable(): boolean {
    if (!this.db.open) return false;
    this.db.prepare('SELECT 1 FROM contexts LIMIT 1').get();
    return true;
  }

  /** Closes the database; the store cannot be used afterwards. */
  close(): void {
    this.accessCounts.close();
    if (this.db.open) this.db.close();
  }
}
