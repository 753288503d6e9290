import { expectGoDecodes } from './helpers/go-decode';
import { startRestServer, toolText, type RestServer } from './helpers/rest-server';
import {
  ContextDashboardResponse,
  ContextExploreResponse,
  JsonRpcToolResponse,
  RecallBatchResponse,
} from './helpers/stompy-cli-structs';

// Every tool called the way Stompy's CLI calls tools (internal/api/mcp.go): one bare JSON-RPC
// `tools/call` POST to /mcp with only `Content-Type: application/json`, no `Accept` with
// text/event-stream, no `initialize`. The CLI wants 200, a JSON body, and the tool's JSON as text.

let s: RestServer;
beforeAll(async () => {
  s = await startRestServer();
  await s.bareCall('lock_context', {
    topic: 'notes',
    content: 'Warehouse B closes on Sundays.',
    tags: 'ops,eu',
  });
});
afterAll(async () => {
  await s.close();
});

describe('the tools the CLI calls, in the shapes its structs decode', () => {
  it('context_dashboard (context dashboard)', async () => {
    const answer = await s.bareCall('context_dashboard', { project: 'default', detail: 'summary' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expectGoDecodes(answer.body, JsonRpcToolResponse);
    const dashboard = toolText(answer);
    expectGoDecodes(dashboard, ContextDashboardResponse);
    expect(dashboard).toMatchObject({
      project: 'default',
      total_contexts: 1,
      by_priority: { reference: 1 },
      recent_topics: ['notes'],
      stale_count: 0,
    });
  });

  it('recall_batch (context batch, with and without --preview)', async () => {
    const batch = toolText(
      await s.bareCall('recall_batch', { project: 'default', topics: ['notes', 'missing'] }),
    );
    expectGoDecodes(batch, RecallBatchResponse);
    expect(batch).toMatchObject({
      results: [
        { topic: 'notes', found: true, version: '1.0', content: 'Warehouse B closes on Sundays.' },
        { topic: 'missing', found: false },
      ],
    });
    const previews = toolText(
      await s.bareCall('recall_batch', { project: 'default', topics: ['notes'], preview_only: true }),
    );
    expectGoDecodes(previews, RecallBatchResponse);
    expect(previews).toMatchObject({
      results: [{ topic: 'notes', found: true, preview: 'Warehouse B closes on Sundays.' }],
    });
  });

  it('context_explore (context explore, with --grep and --verbose)', async () => {
    const explored = toolText(
      await s.bareCall('context_explore', { project: 'default', grep: 'no*', verbose: true }),
    );
    expectGoDecodes(explored, ContextExploreResponse);
    expect(explored).toMatchObject({
      project: 'default',
      total: 1,
      contexts: [{ topic: 'notes', priority: 'reference', version: '1.0', tags: 'ops,eu', access_count: 0 }],
    });
    expect(toolText(await s.bareCall('context_explore', { project: 'default', grep: 'x*' }))).toMatchObject({
      contexts: [],
      total: 0,
    });
  });
});

describe('every tool answers a bare call', () => {
  it.each([
    ['lock_context', { topic: 'bare', content: 'written bare' }, { topic: 'bare', version: '1.0' }],
    ['recall_context', { topic: 'notes' }, { topic: 'notes', version: '1.0' }],
    ['context_search', { query: 'warehouse' }, { total_found: 1 }],
    ['lock_context_batch', { contexts: [{ topic: 'b2', content: 'two' }] }, { stored: 1 }],
    ['context_search_batch', { searches: [{ query: 'sundays' }] }, { results: [{ total_found: 1 }] }],
    ['outcome_insights', { keys: ['customer:C1'] }, { base: { runs: 0 } }],
    ['unlock_context', { topic: 'b2' }, { archived: true, count: 1 }],
  ])('%s', async (tool, args, expected) => {
    const answer = await s.bareCall(tool, args);
    expect(answer.status).toBe(200);
    expectGoDecodes(answer.body, JsonRpcToolResponse);
    expect(toolText(answer)).toMatchObject(expected);
  });
});

describe('failures, as the CLI reads them', () => {
  it('a refused call is a 200 result with isError and the error body as text', async () => {
    const answer = await s.bareCall('recall_context', { topic: 'nothing' });
    expect(answer.status).toBe(200);
    const result = answer.body.result as { isError: boolean; content: Array<{ text: string }> };
    expect(result.isError).toBe(true);
    expect(JSON.parse(result.content[0]?.text ?? '')).toMatchObject({ error: 'not_found' });
  });

  it("an unknown tool (the CLI's project_brief) is an isError result naming it", async () => {
    const answer = await s.bareCall('project_brief', { project: 'default' });
    expect(answer.body.result).toMatchObject({
      isError: true,
      content: [{ text: 'MCP error -32602: Tool project_brief not found' }],
    });
  });

  it('an unknown method is a JSON-RPC error with the request id', async () => {
    const response = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { Authorization: 'Bearer rest-token-5d1c', 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'nope/nothing', params: {} }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id: 41,
      error: { code: -32601, message: 'Method not found' },
    });
  });
});

describe('the Streamable HTTP handshake is unchanged', () => {
  it('an initialize with Accept: application/json, text/event-stream still gets its JSON answer', async () => {
    const response = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: {
        Authorization: 'Bearer rest-token-5d1c',
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-03-26',
          capabilities: {},
          clientInfo: { name: 'curl', version: '0' },
        },
      }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 1, result: { serverInfo: { name: 'stompy-memory' } } });
  });

  it('a body that is not JSON-RPC is still refused', async () => {
    const response = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { Authorization: 'Bearer rest-token-5d1c', 'Content-Type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(response.status).toBe(400);
  });
});
