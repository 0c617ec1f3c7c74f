import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Markup that is already safe; produced only by `html` and `raw`. */
export interface SafeHtml {
  readonly __html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text for element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Tagged template: every interpolation is escaped unless it is `SafeHtml` (or an array of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts) {
      if (part === undefined || part === null || part === false) continue;
      out += typeof part === 'object' && '__html' in part ? (part as SafeHtml).__html : escapeHtml(String(part));
    }
    out += strings[index + 1] ?? '';
  });
  return { __html: out };
}

/** Hidden form fields carrying `fields` unchanged. */
export function hiddenFields(fields: Record<string, string>): SafeHtml[] {
  return Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;font:inherit}
button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem;font:inherit;cursor:pointer}
a.button{display:inline-block;padding:.5rem 1.2rem;border:1px solid #444;border-radius:4px;color:inherit;text-decoration:none}.error{color:#a40000}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem;overflow:auto}`;

/** A complete page: no scripts, no external assets, inline style only. */
export function page(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${{ __html: STYLE }}</style></head>
<body><main>${body}</main></body></html>`;
}

/**
 * Sends a page with the headers every OAuth page carries: never cached (`no-store`), never framed
 * (clickjacking on a consent page would grant tokens), no scripts, no referrer leaking codes.
 */
export function sendPage(c: Context, markup: SafeHtml, status: ContentfulStatusCode = 200): Response {
  c.header('Cache-Control', 'no-store');
  c.header('X-Frame-Options', 'DENY');
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  return c.html(markup.__html, status);
}

/** The error page shown instead of redirecting (unknown client, unregistered redirect URI, CSRF). */
export function errorPage(title: string, message: string): SafeHtml {
  return page(title, html`<h1>${title}</h1><p role="alert" class="error">${message}</p>`);
}

/** Why a browser page could not be served; the HTTP status follows from it (`PAGE_ERROR_STATUS`). */
export type PageErrorCode = 'bad_request' | 'forbidden' | 'not_found' | 'unavailable' | 'upstream_failed';

export const PAGE_ERROR_STATUS: Readonly<Record<PageErrorCode, ContentfulStatusCode>> = {
  bad_request: 400,
  forbidden: 403,
  not_found: 404,
  upstream_failed: 502,
  unavailable: 503,
};

/** The one renderer of HTML error pages: the page's headers, a title and message, the code's status. */
export function sendErrorPage(c: Context, code: PageErrorCode, title: string, message: string): Response {
  return sendPage(c, errorPage(title, message), PAGE_ERROR_STATUS[code]);
}
