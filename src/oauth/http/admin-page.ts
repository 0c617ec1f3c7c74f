import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ActivityEntry } from '../../telemetry/activity.ts';
import type { HealthItem } from '../core/admin-health.ts';
import type { ClientSummary } from '../core/client-admin.ts';
import type { GrantSummary } from '../core/types.ts';

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface ConsoleView {
  operator: string;
  csrf: string;
  health: HealthItem[];
  clients: { summary: ClientSummary; grants: GrantSummary[] }[];
  activity: ActivityEntry[];
  /** Shown once after a revocation (numbers only: nothing from the request is echoed). */
  notice?: string | undefined;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}th{background:#f4f4f4}
.ok{color:#1b6e20}.warning{color:#8a5a00}.failing{color:#a40000}.unknown{color:#555}.notice{background:#eef6ee;padding:.5rem 1rem}
button{padding:.3rem .8rem;font:inherit;cursor:pointer}code{font-size:.9em}ul{margin:0;padding-left:1.1rem}`;

const when = (ms: number | string | undefined): string =>
  ms === undefined ? 'never' : `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

function healthTable(items: HealthItem[]): Markup {
  return html`<table aria-label="Health"><tr><th>Part</th><th>State</th><th>Detail</th></tr>
${items.map((item) => html`<tr><td>${item.name}</td><td class="${item.state}">${item.state}</td><td>${item.detail}</td></tr>`)}
</table>`;
}

function grantList(grants: GrantSummary[]): Markup {
  if (grants.length === 0) return html`<em>none</em>`;
  return html`<ul>${grants.map(
    (grant) =>
      html`<li>${grant.revoked ? 'revoked' : 'active'}: approved by <strong>${grant.subject}</strong> on ${when(grant.createdAt)}, last used ${when(grant.lastIssuedAt)}; scope <code>${grant.scopes.join(' ')}</code></li>`,
  )}</ul>`;
}

function clientsTable(view: ConsoleView): Markup {
  if (view.clients.length === 0) return html`<p>No client is registered.</p>`;
  return html`<table aria-label="Clients"><tr><th>Client</th><th>Redirects to</th><th>Registered</th><th>Last used</th><th>Grants</th><th></th></tr>
${view.clients.map(
  ({ summary, grants }) => html`<tr>
<td><strong>${summary.clientName ?? '(unnamed)'}</strong><br><code>${summary.clientId}</code></td>
<td>${summary.redirectHosts.join(', ')}</td><td>${when(summary.createdAt)}</td><td>${when(summary.lastUsedAt)}</td>
<td>${grantList(grants)}</td>
<td><form method="post" action="admin/revoke"><input type="hidden" name="csrf" value="${view.csrf}"><input type="hidden" name="client_id" value="${summary.clientId}">
<button type="submit" aria-label="Revoke ${summary.clientName ?? summary.clientId}">Revoke</button></form></td>
</tr>`,
)}
</table>`;
}

function activityTable(entries: ActivityEntry[]): Markup {
  if (entries.length === 0) return html`<p>No tool call since the server started.</p>`;
  const withInput = entries.some((entry) => entry.input !== undefined);
  return html`<table aria-label="Recent activity"><tr><th>Time</th><th>Tool</th><th>Principal</th><th>Outcome</th><th>Rows</th><th>Duration</th>${withInput ? html`<th>Input</th>` : ''}</tr>
${entries.map(
  (
    entry,
  ) => html`<tr><td>${when(entry.at)}</td><td>${entry.tool}</td><td>${entry.principal}</td><td>${entry.outcome}${entry.code ? html` <code>${entry.code}</code>` : ''}</td>
<td>${entry.rows}</td><td>${entry.durationMs} ms</td>${withInput ? html`<td><code>${entry.input ?? ''}</code></td>` : ''}</tr>`,
)}
</table>`;
}

/** The console: health, clients with their grants and a revoke button each, recent activity. No scripts. */
export function consolePage(view: ConsoleView): Markup {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Operator console</title><style>${raw(STYLE)}</style></head>
<body><main>
<h1>Operator console</h1>
<p>Signed in as <strong>${view.operator}</strong>.</p>
${view.notice ? html`<p role="status" class="notice">${view.notice}</p>` : ''}
<h2>Health</h2>
${healthTable(view.health)}
<h2>Clients</h2>
<p>Revoking a client ends every grant it holds (its access tokens stop working at the next call) and deletes its registration.</p>
${clientsTable(view)}
<h2>Recent activity</h2>
${activityTable(view.activity)}
</main></body></html>`;
}
