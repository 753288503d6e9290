import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { CallFrame, LocateFrame, SourceLocation } from './cpu-profile';

/** A script's source map, and the folder its relative source paths start from. */
interface LoadedMap {
  map: SourceMap;
  /** The folder relative sources start from; undefined: relative sources are kept as they are. */
  sourcesFrom: string | undefined;
}

/** The source map a script names in its last `sourceMappingURL` comment (inline or a file beside it). */
function sourceMapOf(path: string): LoadedMap | undefined {
  if (!existsSync(path)) return undefined;
  const code = readFileSync(path, 'utf8');
  const comment = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(code.slice(-4_000_000));
  const target = comment?.[1];
  if (!target) return undefined;
  const inline = /^data:application\/json;(?:charset=utf-8;)?base64,(.*)$/.exec(target);
  const mapFile = inline ? path : resolve(dirname(path), target);
  const text = inline?.[1]
    ? Buffer.from(inline[1], 'base64').toString('utf8')
    : readFileSync(mapFile, 'utf8');
  const payload = JSON.parse(text) as ConstructorParameters<typeof SourceMap>[0];
  // An inline map (the workflow bundle's) names its own runtime `webpack/bootstrap`: not a file anywhere.
  const sourcesFrom = inline ? undefined : resolve(dirname(mapFile), payload.sourceRoot ?? '');
  return { map: new SourceMap(payload), sourcesFrom };
}

/**
 * Locates frames through source maps, so the plugin's and the SDK's frames point at their TypeScript
 * sources. Frames of the workflow bundle (which runs from memory, under a name such as
 * `workflow-bundle-<hash>.js`) are read through `workflowBundleFile`, a copy of the code the worker ran.
 * Scripts without a map keep their own url and line.
 */
export function sourceMapLocator(workflowBundleFile?: string): LocateFrame {
  const maps = new Map<string, LoadedMap | undefined>();
  const mapFor = (url: string): LoadedMap | undefined => {
    const path = /\/workflow-bundle-[0-9a-f]+\.js$/.test(url)
      ? workflowBundleFile
      : url.replace(/^file:\/\//, '');
    if (path === undefined || !path.startsWith('/')) return undefined;
    if (!maps.has(path)) {
      try {
        maps.set(path, sourceMapOf(path));
      } catch {
        maps.set(path, undefined); // an unreadable or broken map: keep the script's own location
      }
    }
    return maps.get(path);
  };
  return (frame: CallFrame): SourceLocation | undefined => {
    if (frame.url === '' || frame.lineNumber < 0) return undefined;
    const loaded = mapFor(frame.url);
    const entry = loaded?.map.findEntry(frame.lineNumber, Math.max(0, frame.columnNumber));
    if (!loaded || !entry || !('originalSource' in entry) || !entry.originalSource) return undefined;
    const source = entry.originalSource.replace(/^file:\/\//, '');
    const file = loaded.sourcesFrom === undefined ? source : resolve(loaded.sourcesFrom, source);
    return { file, line: entry.originalLine + 1 };
  };
}
