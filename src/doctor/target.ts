import type { DoctorTarget } from './types.ts';

/**
 * Derives every URL the doctor checks from what a user would paste into ChatGPT: the MCP URL
 * (`https://host/chatgpt/mcp`), the SSE URL (`…/sse`) or just the prefix (`https://host/chatgpt`).
 * Throws a TypeError with a readable message for anything that is not an http(s) URL.
 */
export function parseTarget(input: string): DoctorTarget {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TypeError(`not a URL: ${input} (expected e.g. https://data.example.com/chatgpt/mcp)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`not an http(s) URL: ${input}`);
  const path = url.pathname.replace(/\/+/g, '/').replace(/\/$/, '');
  const prefix = path.replace(/\/(mcp|sse)$/, '');
  const origin = url.origin;
  return {
    origin,
    prefix,
    mcpUrl: `${origin}${prefix}/mcp`,
    sseUrl: `${origin}${prefix}/sse`,
    issuer: `${origin}${prefix}`,
  };
}

/** RFC 8414 §3.1 / RFC 9728 §3.1: the well-known URL with the resource's path inserted after it. */
export function wellKnownFor(resourceUrl: string, document: string): string {
  const url = new URL(resourceUrl);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${document}${path}`;
}
