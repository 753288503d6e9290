import type { ToolRunner } from '../tools/tool-runner';
import { refusalResponse, RestRefusal } from './rest-errors';

/**
 * Calls one of the server's tools for a REST route, through the same runner as MCP (argument checks,
 * rate limit, store rules, logs): its result body, typed as the store's result of that tool, or a
 * {@link RestRefusal} carrying its refusal. Arguments that are undefined are left out.
 */
export async function callTool<Result>(
  tools: ToolRunner,
  name: string,
  args: Readonly<Record<string, unknown>>,
): Promise<Result> {
  const defined = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
  const outcome = await tools.call(name, defined);
  if (outcome.isError) throw new RestRefusal(refusalResponse(outcome.body));
  return outcome.body as Result;
}
