import type { ParsedBody } from '../body.js';
import type { Core } from '../core.js';
import { invalidFormBody } from '../errors.js';
import type { InteractionRegistry } from '../interactions.js';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: ParsedBody;
  core: Core;
  interactions: InteractionRegistry;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below /api/v10 with `:name` segments, e.g. `/channels/:channel/messages/:message`. */
  pattern: string;
  /** Needs `Authorization: Bot <token>`; interaction callbacks and webhook-token routes do not. */
  auth: boolean;
  handle(ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

export const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
export const noContent = (): RouteResult => ({ status: 204 });

/** The JSON object body (or multipart `payload_json`); anything else is Discord's 50035 at the root. */
export function objectBody(ctx: RouteContext): Record<string, unknown> {
  const json = ctx.body.json;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalidFormBody([
      { path: [], code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' },
    ]);
  }
  return json as Record<string, unknown>;
}

/** Matches a decoded path against the route table; `methods` lists what the path allows otherwise. */
export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | { route: null; methods: string[] } {
  const segments = path.split('/').filter(Boolean);
  const methods: string[] = [];
  for (const route of routes) {
    const parts = route.pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      const segment = segments[i]!;
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (!matches) continue;
    if (route.method === method) return { route, params };
    methods.push(route.method);
  }
  return { route: null, methods };
}
