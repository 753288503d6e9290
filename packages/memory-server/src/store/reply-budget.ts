/**
 * Default budget of content one reply may carry: 8 MiB of content as it is written in the reply's
 * JSON text (escaped UTF-8). Fifty contexts of hosted Stompy's largest (100,000 bytes) fit in it.
 */
export const DEFAULT_MAX_REPLY_CONTENT_BYTES = 8 * 1024 * 1024;

/**
 * The content bytes a reply may still carry. Each content is counted at its size in the reply's JSON
 * text (`JSON.stringify` of it, in UTF-8 bytes), so content full of characters JSON escapes costs what
 * it really costs. Entries are admitted in order: once one does not fit, none after it is, so a client
 * is told of one run of left-out entries at the end of the reply.
 */
export class ReplyBudget {
  private left: number;
  private refused = false;

  constructor(readonly maxBytes: number) {
    this.left = maxBytes;
  }

  /** Whether some content was refused already, so that no more will be admitted. */
  get exhausted(): boolean {
    return this.refused;
  }

  /** Admits nothing more: content an adapter could not read within the budget did not fit. */
  exhaust(): void {
    this.refused = true;
  }

  /** Whether `content` fits in what is left (counting it when it does). */
  admit(content: string): boolean {
    if (this.refused) return false;
    const bytes = Buffer.byteLength(JSON.stringify(content));
    if (bytes > this.left) {
      this.refused = true;
      return false;
    }
    this.left -= bytes;
    return true;
  }
}

/** What a reply says when it left content out: which entries, and how to get them. */
export function truncationMessage(maxBytes: number, leftOut: readonly string[], tool: string): string {
  return (
    `${tool}: this reply carries at most ${maxBytes} bytes of content; the content of ${leftOut.length} ` +
    `topic(s) was left out (entries marked truncated: true): recall them one by one with recall_context`
  );
}
