import { httpRequest } from './http.ts';
import type { HttpOptions, HttpRequest, HttpResponse } from './http.ts';
import type { DoctorContext, DoctorTarget } from './types.ts';

export interface DoctorOptions {
  target: DoctorTarget;
  http: HttpOptions;
  apiKey?: string | undefined;
  register?: boolean;
  searchQuery?: string;
  now?: () => number;
}

/** Builds the context checks share. GET and HEAD answers are cached per run (several checks read the same documents). */
export function createDoctorContext(options: DoctorOptions): DoctorContext {
  const cache = new Map<string, Promise<HttpResponse>>();
  const ctx: DoctorContext = {
    target: options.target,
    http: options.http,
    apiKey: options.apiKey,
    register: options.register ?? true,
    searchQuery: options.searchQuery ?? 'customer',
    now: options.now ?? Date.now,
    request(url: string, req: HttpRequest = {}) {
      const method = req.method ?? 'GET';
      const cacheable = (method === 'GET' || method === 'HEAD') && req.headers === undefined;
      const key = `${method} ${url}`;
      if (cacheable) {
        const hit = cache.get(key);
        if (hit) return hit;
      }
      const pending = httpRequest(url, req, ctx.http);
      if (cacheable) cache.set(key, pending);
      return pending;
    },
  };
  return ctx;
}
