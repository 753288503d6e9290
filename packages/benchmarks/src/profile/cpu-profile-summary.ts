import { categoryOf, displayPath, NODE_CATEGORY, PLUGIN_CATEGORY } from './cpu-categories';
import {
  isNative,
  NOT_WORK,
  type CallFrame,
  type CpuProfile,
  type LocateFrame,
  type ProfileNode,
} from './cpu-profile';

/** A function's self time across the summarised profiles. */
export interface ProfileItem {
  functionName: string;
  /** `file:line` where the function starts, or for native code `native, called by <function> (file:line)`. */
  location: string;
  category: string;
  selfUs: number;
}

/** Self time per category. */
export interface CategoryShare {
  category: string;
  selfUs: number;
}

/** Where the sampled time of one or more threads' profiles went. */
export interface ProfileSummary {
  /** Sampled time the threads were not idle, in µs (wall time: it includes waiting for a core). */
  busyUs: number;
  /** Functions by self time, largest first. */
  items: ProfileItem[];
  /** Categories by self time, largest first. */
  categories: CategoryShare[];
  /** Busy time with a frame of the plugin anywhere on the stack: the plugin and all it calls. */
  throughPluginUs: number;
}

/** What to summarise: a stretch of the profiles, and how to find a frame's source. */
export interface SummaryOptions {
  /** Only samples taken in this stretch (µs on the profiles' clock). */
  window?: { startUs: number; endUs: number };
  /** Finds a frame's source file and line (e.g. through source maps). */
  locate?: LocateFrame;
}

/** What a node means for the summary, worked out once per node. */
interface NodeFacts {
  key: string;
  item: Omit<ProfileItem, 'selfUs'>;
  throughPlugin: boolean;
}

function describeFrame(frame: CallFrame, locate: LocateFrame | undefined): { path: string; line: number } {
  const found = locate?.(frame);
  return found
    ? { path: displayPath(found.file), line: found.line }
    : { path: displayPath(frame.url), line: frame.lineNumber + 1 };
}

/** The nearest JavaScript function up the stack: where native code is said to be called from. */
interface JsCaller {
  name: string;
  path: string;
  line: number;
}

/** What a node passes down to the nodes it called. */
interface StackContext {
  caller: JsCaller | undefined;
  /** The category of the nearest frame up the stack that is neither Node.js nor native code. */
  owner: string | undefined;
  throughPlugin: boolean;
}

/** The item a node stands for: Node.js and native frames are charged to the code that called into them. */
function itemOf(
  frame: CallFrame,
  context: StackContext,
  locate: LocateFrame | undefined,
): Omit<ProfileItem, 'selfUs'> {
  const functionName = frame.functionName || '(anonymous)';
  if (isNative(frame) || frame.url.startsWith('wasm:')) {
    const from = context.caller
      ? `${context.caller.name} (${context.caller.path}:${context.caller.line})`
      : 'unknown code';
    return { functionName, location: `native, called by ${from}`, category: context.owner ?? NODE_CATEGORY };
  }
  const { path, line } = describeFrame(frame, locate);
  const category = categoryOf(path, frame.functionName);
  return {
    functionName,
    location: frame.url === '' ? '' : `${path}:${line}`,
    category: category === NODE_CATEGORY ? (context.owner ?? NODE_CATEGORY) : category,
  };
}

/** Facts of every node of one profile, from the root down. */
function factsOf(profile: CpuProfile, locate: LocateFrame | undefined): Map<number, NodeFacts> {
  const byId = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const facts = new Map<number, NodeFacts>();
  const visit = (node: ProfileNode, context: StackContext) => {
    const frame = node.callFrame;
    const item = itemOf(frame, context, locate);
    const throughPlugin = context.throughPlugin || item.category === PLUGIN_CATEGORY;
    facts.set(node.id, {
      key: `${item.category}\u0000${item.functionName}\u0000${item.location}`,
      item,
      throughPlugin,
    });
    const isScript = frame.url !== '' && !frame.url.startsWith('wasm:');
    const below: StackContext = {
      caller: isScript ? { name: item.functionName, ...splitLocation(item.location) } : context.caller,
      owner: isScript && !frame.url.startsWith('node:') ? item.category : context.owner,
      throughPlugin,
    };
    for (const id of node.children ?? []) {
      const child = byId.get(id);
      if (child) visit(child, below);
    }
  };
  for (const node of profile.nodes) {
    if (!childIds.has(node.id)) visit(node, { caller: undefined, owner: undefined, throughPlugin: false });
  }
  return facts;
}

/** `path:line` back into its parts. */
function splitLocation(location: string): { path: string; line: number } {
  const at = location.lastIndexOf(':');
  return { path: location.slice(0, at), line: Number(location.slice(at + 1)) };
}

/**
 * Summarises CPU profiles (one per thread of a process): self time per function and per category,
 * and the time with the plugin on the stack. A sample counts for the time until the next sample
 * (as DevTools counts it); idle samples and samples outside `window` are left out.
 */
export function summariseProfiles(
  profiles: readonly CpuProfile[],
  options: SummaryOptions = {},
): ProfileSummary {
  const items = new Map<string, ProfileItem>();
  const categories = new Map<string, number>();
  let busyUs = 0;
  let throughPluginUs = 0;
  for (const profile of profiles) {
    const facts = factsOf(profile, options.locate);
    let at = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      at += profile.timeDeltas[i] ?? 0;
      const fact = facts.get(profile.samples[i] ?? -1);
      const us = profile.timeDeltas[i + 1] ?? 0;
      if (!fact || NOT_WORK.has(fact.item.functionName)) continue;
      if (options.window && (at < options.window.startUs || at > options.window.endUs)) continue;
      busyUs += us;
      if (fact.throughPlugin) throughPluginUs += us;
      const item = items.get(fact.key) ?? { ...fact.item, selfUs: 0 };
      item.selfUs += us;
      items.set(fact.key, item);
      categories.set(fact.item.category, (categories.get(fact.item.category) ?? 0) + us);
    }
  }
  return {
    busyUs,
    items: [...items.values()].sort((a, b) => b.selfUs - a.selfUs),
    categories: [...categories]
      .map(([category, selfUs]) => ({ category, selfUs }))
      .sort((a, b) => b.selfUs - a.selfUs),
    throughPluginUs,
  };
}
