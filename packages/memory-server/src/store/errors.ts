/** Every reason the store refuses a request for. */
export const STORE_ERROR_CODES = [
  'invalid_input',
  'not_found',
  'insufficient_novelty',
  'database_unavailable',
] as const;
/** Why the store refused a request; the tool layer sends it to the client as `error`. */
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

/**
 * A request the store refused without changing anything: bad input, a missing topic or version,
 * content too close to the topic's latest version, or a database that cannot be reached now. The message says what was wrong and how to fix it;
 * `details` carries machine-readable fields that are sent alongside it.
 */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** A `StoreError` for an argument that does not meet the rules; `field` names the argument. */
export function invalidInput(field: string, message: string): StoreError {
  return new StoreError('invalid_input', `${field}: ${message}`, { field });
}

/**
 * The `not_found` refusal of `recall_context`: no live version of the topic at all, or not the one
 * asked for (then the message lists the versions there are).
 */
export function recallNotFound(
  project: string,
  topic: string,
  version: string,
  versions: readonly string[],
): StoreError {
  if (versions.length === 0) {
    return new StoreError('not_found', `topic not found: no context "${topic}" in project "${project}"`, {
      topic,
      project,
    });
  }
  return new StoreError(
    'not_found',
    `version ${version} of topic "${topic}" not found; its versions are ${versions.join(', ')}`,
    { topic, project, versions: [...versions] },
  );
}

/** The `not_found` refusal of `unlock_context` naming one topic (or one version of it) that has nothing to remove. */
export function unlockNotFound(project: string, topic: string, version: string): StoreError {
  const what = version === 'all' || version === 'latest' ? 'topic' : `version ${version} of topic`;
  return new StoreError(
    'not_found',
    `${what} not found: nothing to unlock for "${topic}" in project "${project}"`,
    {
      topic,
      project,
    },
  );
}
