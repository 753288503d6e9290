/** Store settings for tests that open a store directly: local limits, no novelty gate, a fixed clock. */
export const TEST_STORE_SETTINGS = {
  defaultProject: 'default',
  maxTopicLength: 200,
  maxContentBytes: 1024 * 1024,
  noveltyThreshold: null,
  now: (): number => Date.UTC(2026, 10, 26, 12),
};
