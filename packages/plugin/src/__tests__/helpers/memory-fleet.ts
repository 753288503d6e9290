import {
  createServerDeps,
  createStompyServer,
  resolveConfig,
  type StompyServerDeps,
} from '@temporal-stompy/memory-server';
import { readContexts, readTopics, type StoredContext, type StoredTopic } from './memory-contents';
import { countWrites, listenRestartable, type RestartableHttp } from './restartable-http';
import { silentLogger } from './silent-logger';

/** One server of a {@link MemoryFleet}: its own port, the fleet's store. */
export interface FleetMember extends RestartableHttp {
  /** The Streamable HTTP endpoint (`<baseUrl>/mcp`). */
  readonly url: string;
  /** Requests this server answered with a 2xx, since the fleet started. */
  answered(): number;
}

/**
 * Several real memory servers over HTTP in front of one store, as a fleet runs stateless servers in
 * front of one PostgreSQL (here one SQLite file: the servers share it through one store object, so
 * what one stores the others see at once). Each can stop and listen again on its port.
 */
export interface MemoryFleet {
  readonly deps: StompyServerDeps;
  readonly dbPath: string;
  readonly members: readonly FleetMember[];
  /** Writes per topic, through every server, since start. */
  readonly writes: Map<string, number>;
  /** The default project's topics whose latest content's first line names `marker`. */
  topics(marker: string): StoredTopic[];
  /** Every stored version of the default project. */
  contexts(): StoredContext[];
  /** Stops every server and closes the store. */
  close(): Promise<void>;
}

/** Starts `size` servers on one store at `dbPath`, with a bearer token when given. */
export async function startMemoryFleet(
  dbPath: string,
  size: number,
  options: { token?: string } = {},
): Promise<MemoryFleet> {
  const deps = createServerDeps(resolveConfig({ dbPath, logger: silentLogger }));
  const writes = countWrites(deps);
  const members: FleetMember[] = [];
  for (let i = 0; i < size; i++) {
    let answered = 0;
    const http = await listenRestartable(() => createStompyServer(deps), {
      ...options,
      onResponse: ({ status }) => {
        if (status >= 200 && status < 300) answered += 1;
      },
    });
    members.push({ ...http, url: `${http.baseUrl}/mcp`, answered: () => answered });
  }
  const project = deps.config.defaultProject;
  return {
    deps,
    dbPath,
    members,
    writes,
    topics: (marker) => readTopics(dbPath, project, marker),
    contexts: () => readContexts(dbPath, project),
    close: async () => {
      await Promise.all(members.map((m) => m.stop()));
      await deps.store.close();
    },
  };
}
