import { connectInMemory, type McpConnector } from './connect-in-memory';
import type { StoreKind } from '../../store/memory-store';
import { connectSse, connectStdio, connectStreamableHttp } from './connect-transports';

/** A transport the tool tests run over. */
export interface TestTransport {
  /** As it appears in test names (`describe.each(TRANSPORTS)('... over $name', ...)`). */
  readonly name: string;
  readonly connect: McpConnector;
  /** The database behind the server. */
  readonly store: StoreKind;
  /**
   * Whether the server runs in the test process on the harness's deps, sharing its FakeClock, its
   * captured logs and its rate limiter. The stdio server is a child process with its own of each.
   */
  readonly inProcess: boolean;
}

/** Every transport a Stompy client may use, plus the in-memory pair; every tool test runs over each. */
export const TRANSPORTS: readonly TestTransport[] = [
  { name: 'in-memory', connect: connectInMemory, inProcess: true, store: 'sqlite' },
  { name: 'streamable-http', connect: connectStreamableHttp, inProcess: true, store: 'sqlite' },
  { name: 'sse', connect: connectSse, inProcess: true, store: 'sqlite' },
  { name: 'stdio', connect: connectStdio, inProcess: false, store: 'sqlite' },
];

/**
 * The store conformance suite: every transport on SQLite, and PostgreSQL over in-memory MCP. A tool
 * test that runs `describe.each(STORE_CONFORMANCE)` checks both adapters answer it the same way.
 */
export const STORE_CONFORMANCE: readonly TestTransport[] = [
  ...TRANSPORTS,
  { name: 'in-memory on PostgreSQL', connect: connectInMemory, inProcess: true, store: 'postgres' },
];

/** The transports whose server runs in the test process: for files whose every test needs that. */
export const IN_PROCESS_TRANSPORTS: readonly TestTransport[] = TRANSPORTS.filter((t) => t.inProcess);

/** Registers one test, like `it`. */
export type TestRegistrar = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

/**
 * `it` for a test that needs the server in this process: it moves the harness's clock or compares
 * times with it, reads the captured logs, or shares the rate limiter. Over a transport whose server
 * runs in another process (stdio) the test does not apply and is not registered; it still runs over
 * every in-process transport. Use it as `const itInProcess = inProcessOnly(transport);` inside
 * `describe.each(TRANSPORTS)`.
 */
export function inProcessOnly(transport: TestTransport): TestRegistrar {
  return transport.inProcess ? it : () => undefined;
}
