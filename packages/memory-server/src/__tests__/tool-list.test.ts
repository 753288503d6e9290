import { createStompyServer, SERVER_NAME, SERVER_VERSION } from '../create-server';
import { connectInMemory } from './helpers/connect-in-memory';
import { openToolHarness, type ToolHarness } from './helpers/tool-harness';
import { TRANSPORTS } from './helpers/transports';

describe.each(TRANSPORTS)('the tool surface over $name', (transport) => {
  let h: ToolHarness;
  beforeAll(async () => {
    h = await openToolHarness({ connect: transport.connect });
  });
  afterAll(async () => {
    await h.close();
  });

  it("lists Stompy's seven context tools, plus this server's batch write, batch search and insights, with their arguments", async () => {
    const { tools } = await h.client.listTools();
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    expect([...byName.keys()].sort()).toEqual([
      'context_dashboard',
      'context_explore',
      'context_search',
      'context_search_batch',
      'lock_context',
      'lock_context_batch',
      'outcome_insights',
      'recall_batch',
      'recall_context',
      'unlock_context',
    ]);
    const lock = byName.get('lock_context');
    expect(lock?.inputSchema.required).toEqual(['topic', 'content']);
    expect(Object.keys(lock?.inputSchema.properties ?? {})).toEqual([
      'topic',
      'content',
      'tags',
      'priority',
      'force_store',
      'project',
    ]);
    expect(byName.get('recall_batch')?.inputSchema.required).toEqual(['topics']);
    expect(byName.get('context_search')?.inputSchema.required).toEqual(['query']);
    expect(byName.get('context_search_batch')?.inputSchema.required).toEqual(['searches']);
    expect(byName.get('outcome_insights')?.inputSchema.required).toEqual(['keys']);
    expect(byName.get('outcome_insights')?.annotations?.readOnlyHint).toBe(true);
    const batchEntry = byName.get('lock_context_batch')?.inputSchema.properties?.contexts as {
      items: { properties: Record<string, unknown>; required: string[] };
    };
    expect(Object.keys(batchEntry.items.properties)).toContain('outcome');
    expect(batchEntry.items.required).toEqual(['topic', 'content']);
    expect(byName.get('unlock_context')?.annotations?.destructiveHint).toBe(true);
    for (const tool of tools) expect(tool.description?.length).toBeGreaterThan(40);
  });

  it('introduces itself with its name, version and instructions', () => {
    expect(h.client.getServerVersion()).toEqual({ name: SERVER_NAME, version: SERVER_VERSION });
    expect(SERVER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(h.client.getInstructions()).toMatch(/lock_context/);
  });

  it('makes a new server per call over one shared store', async () => {
    expect(createStompyServer(h.deps)).not.toBe(createStompyServer(h.deps));
    const other = await connectInMemory(h.deps);
    try {
      await h.ok('lock_context', { topic: 'shared', content: 'written by the first client' });
      const read = await other.client.callTool({ name: 'recall_context', arguments: { topic: 'shared' } });
      expect(read.structuredContent).toMatchObject({ content: 'written by the first client' });
    } finally {
      await other.close();
    }
  });
});
