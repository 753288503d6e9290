/** Limits of a {@link BoundedCache}. */
export interface CacheLimits<V> {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes kept, as `sizeOf` counts them. */
  maxBytes: number;
  /** Approximate bytes an entry holds. */
  sizeOf: (value: V) => number;
  /** Entries older than this read as absent and are dropped; default: kept until evicted. */
  maxAgeMs?: number;
}

interface Entry<V> {
  value: V;
  bytes: number;
  storedAt: number;
}

/**
 * A map that forgets: least recently stored entries go first when it holds too many entries or too
 * many bytes, and entries past their age read as absent. A worker runs for months; what it caches for
 * recall must not grow with the number of customers it has ever seen.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private bytes = 0;

  constructor(
    private readonly limits: CacheLimits<V>,
    private readonly now: () => number,
  ) {}

  /** The value stored under `key`, unless it is missing or too old. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.limits.maxAgeMs !== undefined && this.now() - entry.storedAt >= this.limits.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** When the value under `key` was stored, if it is there. */
  storedAt(key: string): number | undefined {
    return this.get(key) === undefined ? undefined : this.entries.get(key)?.storedAt;
  }

  /** Stores `value` under `key` as the most recent entry, then evicts the oldest beyond the limits. */
  set(key: string, value: V): void {
    this.delete(key);
    const bytes = this.limits.sizeOf(value);
    this.entries.set(key, { value, bytes, storedAt: this.now() });
    this.bytes += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(oldest);
    }
  }

  /** Entries held, and their bytes. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.entries.delete(key);
  }
}
