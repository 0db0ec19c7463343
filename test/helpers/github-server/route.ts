import type { RepositoryState } from './state.js';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  /** `http://127.0.0.1:port/api/v3`, for the URLs GitHub puts in its answers. */
  apiUrl: string;
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Bytes to send as they are (an archive). */
  raw?: Buffer;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** e.g. `/repos/{owner}/{repo}/git/trees/{sha}`; `{name+}` matches several segments. */
  pattern: string;
  handle: (request: RouteRequest, state: RepositoryState) => RouteAnswer;
}

export interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export function compileRoute(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern.replace(/\{(\w+)(\+?)\}/g, (_, name: string, many: string) => {
    names.push(name);
    return many ? '(.+)' : '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

export function notFound(): RouteAnswer {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}

export function unprocessable(message: string): RouteAnswer {
  return { status: 422, body: { message, documentation_url: 'https://docs.github.com/rest' } };
}

/** Whether the request is about the one repository served. */
export function isOurs(request: RouteRequest, state: RepositoryState): boolean {
  return (
    request.params['owner']?.toLowerCase() === state.owner.toLowerCase() &&
    request.params['repo']?.toLowerCase() === state.repo.toLowerCase()
  );
}

/**
 * GitHub's pagination: `per_page` (default 30, at most 100) and `page`, with a `link` header
 * naming the next and last pages.
 */
export function paginate(items: readonly unknown[], request: RouteRequest, path: string): RouteAnswer {
  const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30)));
  const page = Math.max(1, Number(request.query.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(request.query);
    query.set('page', String(n));
    query.set('per_page', String(perPage));
    return `<${request.apiUrl}${path}?${query}>; rel="${rel}"`;
  };
  const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}
