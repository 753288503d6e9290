/** The limits and clock a {@link ContextStore} enforces; a subset of the server's resolved config. */
export interface StoreSettings {
  /** Project used when a call names none. */
  readonly defaultProject: string;
  /** Longest topic (and topic pattern), in characters. */
  readonly maxTopicLength: number;
  /** Largest content, in UTF-8 bytes. */
  readonly maxContentBytes: number;
  /** Smallest novelty a new version must bring unless forced; `null`: no novelty gate. */
  readonly noveltyThreshold: number | null;
  /**
   * Most content bytes (JSON-escaped) one `recall_batch` or `context_search` reply carries; entries
   * past it are sent without their content and marked `truncated`. Default 8 MiB.
   */
  readonly maxReplyContentBytes?: number;
  /** Clock in epoch milliseconds. */
  readonly now: () => number;
}
