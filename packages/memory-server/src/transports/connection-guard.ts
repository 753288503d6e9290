import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ConnectionLimits } from './connection-limits';
import { RateLimitedLog } from './rate-limited-log';

/** Unsent bytes of a connection when it was last seen making progress, and since when. */
interface Backlog {
  bytes: number;
  sinceMs: number;
}

/** Status and reason for a request Node's HTTP parser refused before the handler saw it. */
function clientErrorAnswer(code: string | undefined): { status: number; reason: string } {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, reason: 'Request Timeout' };
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, reason: 'Request Header Fields Too Large' };
  return { status: 400, reason: 'Bad Request' };
}

/**
 * Holds an HTTP server to its {@link ConnectionLimits}: the connection cap (`server.maxConnections`,
 * whose drops are logged), the header and request timeouts (Node answers 408; logged here), refused
 * malformed or oversized headers (400, 431; logged), and connections whose client stops reading its
 * reply: a connection holding unsent bytes that none of which drain within `drainTimeoutMs` is
 * destroyed, freeing the reply it held. Every such event is a rate-limited warn line (one per kind a
 * minute, with a count). Returns a function that stops the check (at close).
 */
export function guardConnections(server: Server, limits: ConnectionLimits, logger: Logger): () => void {
  const log = new RateLimitedLog(logger.child({ component: 'connections' }));
  server.maxConnections = limits.maxConnections;
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.on('drop', (data?: { remoteAddress?: string }) => {
    log.warn(
      'max-connections',
      { limit: 'maxConnections', maxConnections: limits.maxConnections, remoteAddress: data?.remoteAddress },
      'memory server: connection refused, too many open',
    );
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const { status, reason } = clientErrorAnswer(error.code);
    if (error.code !== 'ECONNRESET') {
      log.warn(
        `client-error:${status}`,
        { status, code: error.code, remoteAddress: socket.remoteAddress },
        'memory server: request refused before it was read',
      );
    }
    if (socket.writable && !socket.writableEnded) {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroySoon();
  });

  const sockets = new Set<Socket>();
  const backlogs = new Map<Socket, Backlog>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      backlogs.delete(socket);
    });
  });
  const check = (): void => {
    const now = Date.now();
    for (const socket of sockets) {
      const bytes = socket.writableLength;
      const backlog = backlogs.get(socket);
      if (bytes === 0) {
        backlogs.delete(socket);
      } else if (backlog === undefined || bytes < backlog.bytes) {
        backlogs.set(socket, { bytes, sinceMs: now });
      } else if (now - backlog.sinceMs >= limits.drainTimeoutMs) {
        log.warn(
          'drain-timeout',
          {
            limit: 'drainTimeoutMs',
            drainTimeoutMs: limits.drainTimeoutMs,
            unsentBytes: bytes,
            remoteAddress: socket.remoteAddress,
          },
          'memory server: connection destroyed, its client read none of its reply in time',
        );
        backlogs.delete(socket);
        socket.destroy();
      } else {
        backlog.bytes = bytes;
      }
    }
  };
  const timer = setInterval(check, Math.max(10, Math.min(1000, Math.floor(limits.drainTimeoutMs / 4))));
  timer.unref();
  return () => clearInterval(timer);
}
