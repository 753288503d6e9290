import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { MemoryStore } from '../store/memory-store';

/**
 * One tool of the server, defined once: what `tools/list` says of it and what it does. The MCP
 * registration (register-tools.ts) and the in-process runner (tool-runner.ts) both serve these
 * definitions through `runTool`, so a tool behaves the same whichever way it is called.
 */
export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject> {
  /** The name clients call it by, e.g. `lock_context`. */
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /**
   * The arguments' types. Schemas check types only; the store checks the rules (charsets, lengths,
   * counts) so that its messages say exactly what was wrong, and the refusal is logged. Optional
   * arguments accept null as absent: clients generated from Python signatures send `None` for
   * arguments they leave out.
   */
  readonly inputSchema: Input;
  /** The result of a success, exactly (see tool-output-schemas.ts). */
  readonly outputSchema: z.ZodObject;
  readonly annotations: ToolAnnotations;
  /** Whether the tool writes: successful writes carry a `usage_warning` near the rate limit. */
  readonly writes: boolean;
  /**
   * Does the work on the store, with arguments the input schema accepted. Throws a `StoreError` to
   * refuse; `runTool` turns it into the refusal body.
   */
  run(store: MemoryStore, args: z.output<Input>): object | Promise<object>;
}

/** Returns `tool` as it is: a helper that lets TypeScript type `run`'s arguments from `inputSchema`. */
export function defineTool<Input extends z.ZodObject>(tool: ToolDefinition<Input>): ToolDefinition<Input> {
  return tool;
}

/** `args` with every `null` property left out, as the store reads absent arguments as `undefined`. */
export function withoutNulls<T extends object>(args: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(args).filter(([, value]) => value !== null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
