import { createServer, type Socket } from 'node:net';

// Memory servers that fail in the ways a network fails: a port nobody listens on, and a server that
// takes connections and never answers. (A real memory server that stops and starts again on its port
// is `startMemoryOverHttp`, in memory-over-http.ts.)

/** A loopback port nothing listens on at the moment. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The MCP URL of a loopback port nothing listens on (connections are refused at once). */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/mcp`;
}

/** A TCP server that accepts connections and never answers a byte: the worst kind of outage. */
export interface BlackHole {
  readonly url: string;
  /** Connections it has accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a {@link BlackHole} on loopback. */
export async function startBlackHole(): Promise<BlackHole> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    connections: () => sockets.length,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
