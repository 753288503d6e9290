import { McpSession } from '../mcp-session';
import { StompyClient } from '../stompy-client';
import { StompyToolError } from '../stompy-errors';
import { startMemoryOverHttp, type MemoryOverHttp } from '../../__tests__/helpers/memory-over-http';
import { REMOTE_TRANSPORTS } from '../../__tests__/helpers/memory-transports';
import { silentLogger } from '../../__tests__/helpers/silent-logger';
import { tempDir } from '../../__tests__/helpers/outbox-test-kit';

// The client's batch search against the real memory server, over every transport: found with
// tools/list, each search answered as context_search answers it, a refused search answered as such.

let temp: ReturnType<typeof tempDir>;
let memory: MemoryOverHttp;

beforeAll(async () => {
  temp = tempDir();
  memory = await startMemoryOverHttp(`${temp.dir}/memory.db`);
  const client = new StompyClient(
    new McpSession(
      { kind: 'http', url: new URL(memory.url), transport: 'streamable-http', token: undefined },
      5_000,
      silentLogger,
    ),
    undefined,
  );
  await client.lockContext({
    topic: 'o/1',
    content: 'Customer: C1\nIssues: GatewayTimeout',
    tags: ['customer:C1', 'issue'],
    priority: 'reference',
  });
  await client.lockContext({
    topic: 'o/2',
    content: 'Customer: C1\nIssues: none',
    tags: ['customer:C1'],
    priority: 'reference',
  });
});

afterAll(async () => {
  await memory?.close();
  temp?.remove();
});

describe.each(REMOTE_TRANSPORTS)('batch search over $name', (transport) => {
  it('finds the tool, and answers each search as context_search does', async () => {
    const session = new McpSession(transport.target(memory), 5_000, silentLogger);
    const client = new StompyClient(session, undefined);
    try {
      expect(await client.supportsBatchSearch()).toBe(true);
      const [all, issues, refused] = await client.searchBatch([
        { query: 'C1', tags: ['customer:C1'], limit: 10 },
        { query: 'C1', tags: ['customer:C1', 'issue'], limit: 10 },
        { query: 'C1', tags: ['bad tag!'] },
      ]);
      expect(all).toEqual(await client.search('C1', { tags: ['customer:C1'], limit: 10 }));
      expect((issues as { topic: string }[]).map((h) => h.topic)).toEqual(['o/1']);
      expect(refused).toBeInstanceOf(StompyToolError);
      expect(refused).toMatchObject({ code: 'invalid_input' });
    } finally {
      await session.close();
    }
  });
});
