import { z } from 'zod';
import { parseCidr } from './http/cidr.ts';

/**
 * zod parsers for single environment values. Every one treats an unset or blank variable as
 * "use the default" and turns a bad value into an issue whose message reads well after the
 * variable's name ("MSSQL_ENCRYPT: must be true/false/1/0/yes/no, got "maybe""). Values of secret
 * variables are never echoed.
 */

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

function blank(value: string | undefined): value is undefined {
  return value === undefined || value.trim() === '';
}

/** Strict boolean: true/false/1/0/yes/no (any case). Anything else stops startup. `undefined` as
 * the fallback keeps "unset" distinguishable from an explicit false. */
export function boolVar<Fallback extends boolean | undefined>(fallback: Fallback) {
  return z
    .string()
    .optional()
    .transform((value, ctx): boolean | Fallback => {
      if (blank(value)) return fallback;
      const text = value.trim().toLowerCase();
      if (TRUE.has(text)) return true;
      if (FALSE.has(text)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true/false/1/0/yes/no, got "${value}"` });
      return z.NEVER;
    });
}

/** A decimal integer within [min, max]. */
export function intVar(fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx): number => {
      if (blank(value)) return fallback;
      const text = value.trim();
      const number = /^\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(number) || number < min || number > max) {
        ctx.addIssue({ code: 'custom', message: `must be an integer from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return number;
    });
}

/** Comma-separated list, items trimmed, blanks dropped. */
export function listVar() {
  return z
    .string()
    .optional()
    .transform((value): string[] =>
      blank(value)
        ? []
        : value
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== ''),
    );
}

/** A required non-empty string (secrets are not echoed in the message). */
export function requiredVar() {
  return z.string({ error: 'is required' }).transform((value, ctx): string => {
    if (value.trim() === '') {
      ctx.addIssue({ code: 'custom', message: 'is required' });
      return z.NEVER;
    }
    return value;
  });
}

/** Static bearer keys: several allowed, each at least 16 characters, no white space inside. */
export function apiKeysVar() {
  return listVar().transform((keys, ctx): string[] => {
    keys.forEach((key, index) => {
      if (key.length < 16) {
        ctx.addIssue({ code: 'custom', message: `key #${index + 1} is ${key.length} characters long; at least 16 are required` });
      } else if (/\s/.test(key)) {
        ctx.addIssue({ code: 'custom', message: `key #${index + 1} contains white space` });
      }
    });
    return keys;
  });
}

/** CIDR list (`10.0.0.0/8, ::1/128`); bare addresses mean a single host. */
export function cidrListVar(fallback: readonly string[]) {
  return listVar().transform((cidrs, ctx): string[] => {
    if (cidrs.length === 0) return [...fallback];
    for (const cidr of cidrs) {
      if (!parseCidr(cidr)) ctx.addIssue({ code: 'custom', message: `"${cidr}" is not a CIDR such as 10.0.0.0/8 or ::1/128` });
    }
    return cidrs;
  });
}

/** The path segment(s) nginx mounts the app under: '' or `/chatgpt`-like, no trailing slash. */
export const ENVIRONMENT_PATH_PATTERN = /^(\/[A-Za-z0-9._~-]+)*$/;

/** Normalises and validates an environment path; returns null when invalid. */
export function normalizeEnvironmentPath(value: string): string | null {
  const text = value.trim().replace(/\/+$/, '');
  if (text === '') return '';
  if (!ENVIRONMENT_PATH_PATTERN.test(text) || text.split('/').some((s) => s === '.' || s === '..')) return null;
  return text;
}

export function environmentPathVar() {
  return z
    .string()
    .optional()
    .transform((value, ctx): string => {
      if (blank(value)) return '';
      const path = normalizeEnvironmentPath(value);
      if (path === null) {
        ctx.addIssue({ code: 'custom', message: `must be empty or a path like /chatgpt (letters, digits, . _ ~ -), got "${value}"` });
        return z.NEVER;
      }
      return path;
    });
}

/** Whether a host name is a loopback address (plain http is tolerated there outside production). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Parses PUBLIC_BASE_URL into a bare origin (`https://data.example.com`, no trailing slash, no
 * path): issuer and resource strings must be byte-exact (RFC 8414 §3.3, RFC 9728 §3.3).
 */
export function parsePublicBaseUrl(value: string, production: boolean): { origin: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: `must be an absolute URL such as https://data.example.com, got "${value}"` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must use https' };
  if (url.username || url.password) return { problem: 'must not contain user information' };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { problem: 'must be an origin only (no path, query or fragment); put the path prefix in ENVIRONMENT_PATH' };
  }
  if (url.protocol === 'http:' && (production || !isLoopbackHost(url.hostname))) {
    return { problem: 'must use https (plain http is accepted only for loopback hosts outside production)' };
  }
  return { origin: url.origin };
}
