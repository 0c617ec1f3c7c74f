import { Hono, type MiddlewareHandler } from 'hono';
import type { Principal } from '../../auth/principal.ts';
import type { OAuthContext } from './context.ts';
import { sendErrorPage, html, page, sendPage } from './pages.ts';
import type { BrowserSessionEnv } from './signin.ts';

/** A record as a person reads it: a title and plain text (rendered escaped, in a <pre>). */
export interface RenderedRecord {
  title: string;
  text: string;
}

/**
 * Renders the record behind a citation id for the signed-in operator, or null when there is no
 * such record. Provided by the server (the research layer's `fetch`); must not throw for unknown ids.
 */
export type RenderRecord = (id: string, context: { principal: Principal; publicBase: string }) => Promise<RenderedRecord | null>;

/**
 * `GET /records/<id>`: the page a person reaches by clicking a ChatGPT citation. Never public:
 * `requireBrowserSession` sends the browser through the operator sign-in first and back here.
 * Output is escaped; the page is not cacheable and cannot be framed.
 */
export function recordRoutes(
  ctx: OAuthContext,
  requireBrowserSession: MiddlewareHandler<BrowserSessionEnv>,
  renderRecord: RenderRecord,
): Hono<BrowserSessionEnv> {
  const app = new Hono<BrowserSessionEnv>();
  app.get('/records/:id{.+}', requireBrowserSession, async (c) => {
    const id = c.req.param('id');
    const operator = c.get('operator');
    const person = c.get('person');
    const admission = ctx.identities.admit(person);
    const principal: Principal = {
      id: `browser:${operator}`,
      kind: 'oauth',
      subject: operator,
      scopes: ctx.config.defaultScopes,
      ...(person.email ? { email: person.email } : {}),
      groups: person.groups,
      // Operators and OIDC_ADMIN_GROUPS members may open any cached result; others only tables and rows.
      admin: admission.ok && admission.admin,
    };
    let record: RenderedRecord | null;
    try {
      record = id.length > 2000 ? null : await renderRecord(id, { principal, publicBase: ctx.publicBase(c) });
    } catch (error) {
      ctx.logger.warn('oauth.record_render_failed', { operator, error: String(error) });
      return sendErrorPage(c, 'unavailable', 'Record unavailable', 'The record could not be read right now.');
    }
    if (!record) return sendErrorPage(c, 'not_found', 'Record not found', 'There is no record with this id.');
    ctx.logger.info('oauth.record_viewed', { operator });
    return sendPage(c, page(record.title, html`<h1>${record.title}</h1><p><small>Record ${id}</small></p><pre>${record.text}</pre>`));
  });
  return app;
}
