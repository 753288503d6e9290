import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The requests a server is answering, so that closing can let them finish: each counts from its
 * arrival until its response closes. Once {@link drain} has begun, responses carry
 * `Connection: close` so keep-alive clients do not send more on the same connection.
 */
export class InFlightRequests {
  private readonly responses = new Set<ServerResponse>();
  private draining = false;
  private readonly idleWaiters = new Set<() => void>();

  /** Counts `req` until its response closes. */
  track(_req: IncomingMessage, res: ServerResponse): void {
    this.responses.add(res);
    if (this.draining) closeAfter(res);
    res.once('close', () => {
      this.responses.delete(res);
      if (this.responses.size === 0) for (const wake of this.idleWaiters) wake();
    });
  }

  /** Requests being answered now. */
  get size(): number {
    return this.responses.size;
  }

  /** Resolves true once no request is in flight, or false after `timeoutMs` with some still in flight. */
  drain(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    for (const res of this.responses) closeAfter(res);
    if (this.responses.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (idle: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(idle);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.idleWaiters.add(wake);
    });
  }
}

/** Makes a response close its connection once sent, when its headers are not sent yet. */
function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
