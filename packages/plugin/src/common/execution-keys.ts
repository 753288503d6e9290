/**
 * What a tag rule extracted from an execution: its tags, its entities (`{customer: 'C1'}`) and the
 * time the business event happened. Only these travel in headers and into memory, never raw args.
 */
export interface ExecutionKeys {
  tags: string[];
  entities: Record<string, string>;
  /** The business event's time (ISO 8601) when a rule gives one; time patterns use it. */
  eventTime?: string;
  /**
   * The IANA time zone a rule counts the outcomes in for time windows, when it gives one (UTC
   * otherwise). A workflow's zone travels with its keys, so its activities inherit it.
   */
  timeZone?: string;
}

/** Keys with nothing in them. */
export const NO_KEYS: ExecutionKeys = Object.freeze({ tags: [], entities: {} });

/** The tag an entity becomes in memory: `customer` + `C1` gives `customer:C1`. */
export function entityTag(name: string, value: string): string {
  return `${name}:${value}`;
}

/** Every tag of a set of keys: the rule tags then one tag per entity, without duplicates. */
export function keyTags(keys: ExecutionKeys): string[] {
  const entityTags = Object.entries(keys.entities).map(([name, value]) => entityTag(name, value));
  return [...new Set([...keys.tags, ...entityTags])];
}

/**
 * Merges keys, most general first: later entities, a later event time and a later time zone win (an
 * activity's own over its workflow's, a run's own over the one it inherited), and tags are united.
 */
export function mergeKeys(...all: (ExecutionKeys | undefined)[]): ExecutionKeys {
  const tags = new Set<string>();
  const entities: Record<string, string> = {};
  let eventTime: string | undefined;
  let timeZone: string | undefined;
  for (const keys of all) {
    if (!keys) continue;
    keys.tags.forEach((t) => tags.add(t));
    Object.assign(entities, keys.entities);
    eventTime = keys.eventTime ?? eventTime;
    timeZone = keys.timeZone ?? timeZone;
  }
  const merged: ExecutionKeys = { tags: [...tags], entities };
  if (eventTime !== undefined) merged.eventTime = eventTime;
  if (timeZone !== undefined) merged.timeZone = timeZone;
  return merged;
}
