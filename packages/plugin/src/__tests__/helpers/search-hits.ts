// Search hits as servers send them in `context_search` results, for the tests of how they are read.

/** A hosted Stompy search hit: `label` for the topic, `rrf_score`, and `metadata` as a JSON string. */
export const HOSTED_HIT = {
  id: 7,
  label: 'temporal:wf:default:order-7:run-1',
  content: 'Workflow: OrderWorkflow (order-7, run run-1)\nSuccess: no',
  bm25_score: 1.5,
  rrf_score: 0.03,
  temporal_score: 0.9,
  metadata: JSON.stringify({
    tags: ['customer:C1', 'issue'],
    priority: 'important',
    created_at: '2026-11-25T06:00:00Z',
  }),
};

/** Our server's hit: `topic`, `version`, `score`, and `metadata` as an object. */
export const OUR_HIT = {
  id: 8,
  label: 't',
  topic: 't',
  version: '1.2',
  content: 'c',
  preview: 'c',
  metadata: { tags: ['a', 'b'], priority: 'reference', created_at: '2026-11-25T07:00:00Z' },
  bm25_score: 3,
  temporal_score: 0.5,
  score: 2,
};
