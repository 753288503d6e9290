import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';

/** Temporal's tracing plugin with tracing that does its real work, minus the network. */
export interface OpenTelemetryTracing {
  plugin: OpenTelemetryPlugin;
  /** Exports what the batch processor holds, then counts and forgets the spans finished so far. */
  takeSpanCount(): Promise<number>;
}

/**
 * `OpenTelemetryPlugin` wired as a production worker wires it with `NodeSDK`: a global tracer provider
 * with an AsyncLocalStorage context manager and a batch span processor, which the plugin also uses for
 * the workflow spans its sink exports. The exporter keeps spans in memory instead of sending them, so
 * spans are created, propagated through headers, ended, batched and exported, all in this process.
 */
export function openTelemetryTracing(): OpenTelemetryTracing {
  const resource = new Resource({ 'service.name': 'plugin-bench-worker' });
  const exporter = new InMemorySpanExporter();
  const processor = new BatchSpanProcessor(exporter);
  const provider = new BasicTracerProvider({ resource });
  provider.addSpanProcessor(processor);
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  provider.register({ contextManager });
  return {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor: processor }),
    async takeSpanCount() {
      await processor.forceFlush(); // bounded by the processor's export timeout (30 s)
      const count = exporter.getFinishedSpans().length;
      exporter.reset();
      return count;
    },
  };
}
