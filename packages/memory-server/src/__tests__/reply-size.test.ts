import { useHttpTestServer } from './helpers/http-test-server';

// How large a reply may grow: recall_batch and context_search carry at most a budget of content (the
// rest comes marked truncated), and a reply's bytes per stored byte are bounded, with and without the
// structuredContent copy.

/** Content JSON escapes heavily: a quote, a backslash, a newline and a control character in every 5. */
const HEAVY = 'x"\\\n\u0001';
const BUDGET = 256 * 1024;

const test = useHttpTestServer('reply-size', {}, { maxReplyContentBytes: BUDGET });

/** Posts a bare JSON-RPC tools/call (as Stompy's CLI does), optionally naming a protocol version. */
async function call(
  name: string,
  args: Record<string, unknown>,
  protocol?: string,
): Promise<{ bytes: number; text: Record<string, unknown>; structured: unknown }> {
  const response = await fetch(`${test.server.url}/mcp`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(protocol !== undefined ? { 'mcp-protocol-version': protocol } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const raw = Buffer.from(await response.arrayBuffer());
  const { result } = JSON.parse(raw.toString('utf8')) as {
    result: { content: [{ text: string }]; structuredContent?: unknown };
  };
  const text = JSON.parse(result.content[0].text) as Record<string, unknown>;
  return { bytes: raw.length, text, structured: result.structuredContent };
}

async function store(
  prefix: string,
  count: number,
  content: string,
): Promise<{ topics: string[]; storedBytes: number }> {
  const topics = Array.from({ length: count }, (_, i) => `${prefix}/${i}`);
  await test.deps.store.lockMany(topics.map((topic) => ({ topic, content: `${topic} ${content}` })));
  const storedBytes = topics.reduce((sum, topic) => sum + Buffer.byteLength(`${topic} ${content}`), 0);
  return { topics, storedBytes };
}

it('recall_batch carries at most its content budget and marks the rest truncated, naming the way out', async () => {
  const { topics } = await store('big', 10, HEAVY.repeat(30_000)); // 150,000 characters, 390,000 bytes escaped each
  const { bytes, text } = await call('recall_batch', { topics });
  const results = text['results'] as Array<Record<string, unknown>>;
  expect(results).toHaveLength(10);
  expect(results.filter((r) => typeof r['content'] === 'string')).toHaveLength(0);
  expect(results.every((r) => r['truncated'] === true && typeof r['preview'] === 'string')).toBe(true);
  expect(text['found']).toEqual(topics);
  expect(text).toMatchObject({ truncated: true, message: expect.stringMatching(/recall_context/) as string });
  expect(bytes).toBeLessThan(3 * BUDGET);

  const small = await store('fits', 3, 'short content');
  const whole = await call('recall_batch', { topics: [...small.topics, topics[0]] });
  const entries = whole.text['results'] as Array<Record<string, unknown>>;
  expect(entries.slice(0, 3).map((r) => r['content'])).toEqual(small.topics.map((t) => `${t} short content`));
  expect(entries[3]).toMatchObject({ topic: topics[0], found: true, truncated: true });
});

it('context_search carries at most its content budget too: later results come with empty content, truncated', async () => {
  await store('search', 5, `needle ${HEAVY.repeat(30_000)}`);
  const { bytes, text } = await call('context_search', { query: 'needle', limit: 5 });
  const results = text['results'] as Array<Record<string, unknown>>;
  expect(results).toHaveLength(5);
  expect(results.every((r) => r['content'] === '' && r['truncated'] === true)).toBe(true);
  expect(text).toMatchObject({ truncated: true });
  expect(bytes).toBeLessThan(3 * BUDGET);
});

it('context_search_batch: its searches share one reply budget, so 20 searches carry no more than one', async () => {
  await store('batch', 3, `haystack ${HEAVY.repeat(12_000)}`); // 156,000 bytes escaped each: one fits, not two
  const searches = Array.from({ length: 20 }, () => ({ query: 'haystack', limit: 3 }));
  const { bytes, text } = await call('context_search_batch', { searches });
  const results = text['results'] as Array<{ results: Array<Record<string, unknown>> }>;
  const whole = results.flatMap((r) => r.results).filter((hit) => hit['truncated'] !== true);
  expect(whole).toHaveLength(1);
  expect(bytes).toBeLessThan(3 * BUDGET + 200_000);
});

it('bounds reply bytes per stored byte: text only for bare JSON-RPC, text + structuredContent for 2025-06-18 clients', async () => {
  const heavy = await store('ratio-heavy', 10, HEAVY.repeat(2_000));
  const plain = await store('ratio-plain', 10, 'plain words of a note. '.repeat(500));
  for (const { topics, storedBytes } of [heavy, plain]) {
    const bare = await call('recall_batch', { topics });
    expect(bare.structured).toBeUndefined();
    const structured = await call('recall_batch', { topics }, '2025-06-18');
    expect(structured.structured).toEqual(structured.text);
    expect(await call('recall_batch', { topics }, '2025-03-26')).toMatchObject({ structured: undefined });
    // Heavy content: 5 stored bytes are 13 as JSON text and 19 once escaped again in the JSON-RPC message
    // (a control character alone: 6 and 7); plain words are 1 byte each way. Metadata adds a little.
    const [bareLimit, bothLimit] = topics[0]?.startsWith('ratio-heavy') ? [3.9, 6.5] : [1.1, 2.2];
    expect(bare.bytes / storedBytes).toBeLessThan(bareLimit);
    expect(structured.bytes / storedBytes).toBeLessThan(bothLimit);
  }
});
