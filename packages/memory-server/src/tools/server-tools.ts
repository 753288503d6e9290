import { EXTRA_TOOLS } from './extra-tools';
import type { ExtraToolName } from './extra-tool-names';
import { STOMPY_TOOLS } from './stompy-tools';
import type { ToolDefinition } from './tool-definition';

/** Stompy's seven tools, then the named extras, in `tools/list` order. */
export function serverTools(extras: readonly ExtraToolName[]): readonly ToolDefinition[] {
  const offered: readonly string[] = extras;
  return [...STOMPY_TOOLS, ...EXTRA_TOOLS.filter((tool) => offered.includes(tool.name))];
}
