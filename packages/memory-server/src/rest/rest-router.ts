import { createContext, updateContext } from './context-write';
import { moveContext } from './context-move';
import { readContext } from './context-read';
import { unlockContext } from './context-unlock';
import { listContexts } from './contexts-list';
import { searchProject } from './project-search';
import { listProjects, projectInfo } from './projects';
import type { RouteHandler } from './rest-types';

/** One route: its path pattern (`:project` and `:topic` stand for one segment each) and its methods. */
interface Route {
  readonly pattern: readonly string[];
  readonly methods: Readonly<Record<string, RouteHandler>>;
}

/** The routes of the REST API below `/api/v1`: those Stompy's CLI calls for contexts and projects. */
const ROUTES: readonly Route[] = [
  { pattern: ['projects'], methods: { GET: listProjects } },
  { pattern: ['projects', ':project'], methods: { GET: projectInfo } },
  { pattern: ['projects', ':project', 'search'], methods: { GET: searchProject } },
  { pattern: ['projects', ':project', 'contexts'], methods: { GET: listContexts, POST: createContext } },
  {
    pattern: ['projects', ':project', 'contexts', ':topic'],
    methods: { GET: readContext, PUT: updateContext, DELETE: unlockContext },
  },
  { pattern: ['projects', ':project', 'contexts', ':topic', 'move'], methods: { POST: moveContext } },
];

/** What a path matched: the route's methods and the project and topic its segments named. */
export interface RouteMatch {
  readonly methods: Readonly<Record<string, RouteHandler>>;
  readonly path: { readonly project: string; readonly topic: string };
}

/** The route a path's segments match, with the project and topic they name; undefined for none. */
export function matchRoute(segments: readonly string[]): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const named: Record<string, string> = {};
    const matches = route.pattern.every((part, i) => {
      const segment = segments[i] ?? '';
      if (part.startsWith(':')) {
        named[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (matches)
      return { methods: route.methods, path: { project: named.project ?? '', topic: named.topic ?? '' } };
  }
  return undefined;
}
