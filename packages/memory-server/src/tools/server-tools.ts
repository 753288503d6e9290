import { EXTRA_TOOLS } from './extra-tools';
import { STOMPY_TOOLS } from './stompy-tools';
import type { ToolDefinition } from './tool-definition';

/** Every tool this server offers, in the order `tools/list` gives them: Stompy's, then its own. */
export const SERVER_TOOLS: readonly ToolDefinition[] = [...STOMPY_TOOLS, ...EXTRA_TOOLS];
