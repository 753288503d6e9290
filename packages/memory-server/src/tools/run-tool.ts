import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { StoreError } from '../store/errors';
import { findLoneSurrogate } from '../store/validation';
import type { RateLimitGrant } from './rate-limiter';
import { rateLimitRefusal } from './rate-limit-refusal';
import type { ToolContext } from './tool-context';
import type { ToolDefinition } from './tool-definition';
import type { usageWarningSchema } from './tool-output-schemas';
import { refusal, success, type ToolOutcome } from './tool-outcome';

/** Share of the per-minute cap above which successful writes carry a `usage_warning`. */
export const USAGE_WARNING_RATIO = 0.8;

/**
 * Runs one tool call the way every Stompy tool is run: counts it against the rate limit, refuses
 * strings with lone surrogates anywhere in the arguments, calls the store, and turns what happened into
 * the body a client reads. Refusals are bodies with an `error` code and are logged as warnings with the
 * tool and the reason, never the content; unexpected failures are logged as errors. Never rejects. The
 * MCP registration and the in-process runner both call it with arguments their input schema accepted.
 */
export async function runTool<Input extends z.ZodObject>(
  context: ToolContext,
  tool: ToolDefinition<Input>,
  args: z.output<Input>,
): Promise<ToolOutcome> {
  if (context.metrics === undefined) return answer(context, tool, args);
  const started = performance.now();
  const outcome = await answer(context, tool, args);
  const ended = !outcome.isError ? 'ok' : outcome.body.error === 'internal_error' ? 'error' : 'refused';
  context.metrics.toolCall(tool.name, ended, (performance.now() - started) / 1000);
  return outcome;
}

/** {@link runTool} without the metrics. */
async function answer<Input extends z.ZodObject>(
  context: ToolContext,
  tool: ToolDefinition<Input>,
  args: z.output<Input>,
): Promise<ToolOutcome> {
  const grant = context.limiter?.tryAcquire();
  if (grant !== undefined && !grant.allowed) {
    context.logger.warn(
      { tool: tool.name, reason: 'rate_limit_exceeded' },
      'memory server: tool call refused',
    );
    return refusal(rateLimitRefusal(grant));
  }
  try {
    const field = findLoneSurrogatePath(args, '');
    if (field !== null) {
      const message = `${field}: contains a lone UTF-16 surrogate; send well-formed Unicode text`;
      throw new StoreError('invalid_input', message, { field });
    }
    const value = await tool.run(context.store, args);
    if (tool.writes && grant?.allowed === true && grant.used > grant.limit * USAGE_WARNING_RATIO) {
      return success({ ...value, usage_warning: usageWarning(grant) });
    }
    return success(value);
  } catch (error) {
    if (error instanceof StoreError) {
      const level = error.code === 'not_found' ? 'debug' : 'warn';
      context.logger[level](
        { tool: tool.name, reason: error.code, field: error.details.field, message: error.message },
        'memory server: tool call refused',
      );
      return refusal({ error: error.code, message: error.message, ...error.details });
    }
    context.logger.error({ tool: tool.name, err: error }, 'memory server: tool call failed');
    const message = error instanceof Error ? error.message : String(error);
    return refusal({ error: 'internal_error', message: `${tool.name} failed: ${message}` });
  }
}

/** Hosted Stompy's `usage_warning`: calls used in the window, the cap, the share in percent, when a slot frees. */
function usageWarning(grant: RateLimitGrant): z.output<typeof usageWarningSchema> {
  return {
    used: grant.used,
    cap: grant.limit,
    pct: Math.round((grant.used / grant.limit) * 100),
    resets_at: new Date(grant.resetsAt).toISOString(),
  };
}

/** Path (e.g. `topics[3]`) of the first string argument holding a lone surrogate, or null. */
function findLoneSurrogatePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return findLoneSurrogate(value) >= 0 ? path : null;
  if (value === null || typeof value !== 'object') return null;
  const entries = Array.isArray(value)
    ? value.map((item, i): [string, unknown] => [`${path}[${i}]`, item])
    : Object.entries(value).map(([key, item]): [string, unknown] => [
        path === '' ? key : `${path}.${key}`,
        item,
      ]);
  for (const [itemPath, item] of entries) {
    const found = findLoneSurrogatePath(item, itemPath);
    if (found !== null) return found;
  }
  return null;
}
