// The demo's window into its memory: the memory server's web page on the demo's memory file, linked
// to the dev server's Temporal Web UI, so a user can click from a pattern to the runs behind it.
import { createServer } from 'node:net';
import { openServerDeps, resolveConfig, serveHttp } from '@temporal-stompy/memory-server';
import pino from 'pino';

/** The port the page is served on when it is free: `stompy-memory ui`'s default. */
export const DEMO_PAGE_PORT = 4124;

/** The page of one key in a project, on the page at `base`. */
export function demoPageUrl(base: string, project: string, key?: string): string {
  const query = new URLSearchParams(key === undefined ? { project } : { key, project });
  return `${base}/${key === undefined ? '' : 'key'}?${query.toString()}`;
}

/** `port` when it is free on loopback, else any free port. */
export async function freePort(port: number): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(p, '127.0.0.1', () => {
        const { port: bound } = server.address() as { port: number };
        server.close(() => resolve(bound));
      });
    });
  return (await tryPort(port)) ?? (await tryPort(0)) ?? 0;
}

/** A running page, stopped by `close()`. */
export interface DemoPage {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the web page of the memory file at `dbPath` (the page alone, on loopback), linking runs to `temporalUiUrl`. */
export async function serveDemoPage(dbPath: string, temporalUiUrl: string): Promise<DemoPage> {
  const deps = await openServerDeps(resolveConfig({ dbPath, logger: pino({ level: 'warn' }) }));
  const server = await serveHttp(deps, {
    port: await freePort(DEMO_PAGE_PORT),
    pageOnly: true,
    temporalUiUrl,
  }).catch(async (error: unknown) => {
    await deps.store.close();
    throw error;
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await deps.store.close();
    },
  };
}

/** Resolves at the first SIGINT or SIGTERM (Ctrl-C). */
export function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
