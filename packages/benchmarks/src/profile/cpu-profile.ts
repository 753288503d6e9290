/** A V8 CPU profile as Node's `--cpu-prof` writes it (`.cpuprofile`, the Chrome DevTools format). */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Start and end on the process's monotonic clock, in microseconds. */
  startTime: number;
  endTime: number;
  /** The node on top of the stack at each sample. */
  samples: number[];
  /** Microseconds from the previous sample (from `startTime` for the first). */
  timeDeltas: number[];
}

/** A call-tree node: one function at one place in the tree. */
export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** Where a function is: its name and its script (0-based line and column; -1 when unknown). */
export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** A file and a 1-based line, as a person reads them. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** Finds the source of a frame (e.g. through source maps); undefined keeps the frame's own url and line. */
export type LocateFrame = (frame: CallFrame) => SourceLocation | undefined;

/** The V8 pseudo-frames that are not functions: the thread waiting, the tree's root. */
export const NOT_WORK = new Set(['(idle)', '(root)']);

/** Whether a frame is native code (a builtin or a C++ binding): no script and no line. */
export function isNative(frame: CallFrame): boolean {
  return frame.url === '' && !frame.functionName.startsWith('(');
}
