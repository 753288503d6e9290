import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** What `/metrics` serves: Prometheus text and its content type. */
export interface MetricsSource {
  render(): Promise<string>;
  readonly contentType: string;
}

/** Answers `GET /metrics` with the server's metrics in Prometheus' text format; 500 (logged) if they cannot be rendered. */
export async function answerMetrics(
  res: ServerResponse,
  metrics: MetricsSource,
  logger: Logger,
): Promise<void> {
  try {
    const text = await metrics.render();
    res.writeHead(200, { 'Content-Type': metrics.contentType });
    res.end(text);
  } catch (error) {
    logger.error({ err: error }, 'memory server: metrics could not be rendered');
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('metrics unavailable\n');
  }
}
