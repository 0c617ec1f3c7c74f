import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { DbHealth } from '../../db/types.ts';
import type { ClientStore } from './types.ts';

/** One line of the console's health table. */
export interface HealthItem {
  name: string;
  state: 'ok' | 'warning' | 'failing' | 'unknown';
  detail: string;
}

/** Fewer days than this before the certificate expires is a warning (certbot renews at 30). */
const CERT_WARNING_DAYS = 21;

/** The database answers a ping (bounded by `Db.ping` itself). */
export async function databaseHealth(ping: () => Promise<DbHealth>): Promise<HealthItem> {
  const health = await ping();
  return health.ok
    ? { name: 'Database', state: 'ok', detail: `answered in ${Math.round(health.latencyMs)} ms; ${health.pool.size} connection(s) open` }
    : { name: 'Database', state: 'failing', detail: health.error ?? 'not answering' };
}

/** The OAuth store answers a read (the sqlite file is open and readable). */
export async function storeHealth(store: ClientStore): Promise<HealthItem> {
  try {
    const clients = (await store.listClients()).length;
    return { name: 'OAuth store', state: 'ok', detail: `${clients} registered client(s)` };
  } catch (error) {
    return { name: 'OAuth store', state: 'failing', detail: error instanceof Error ? error.name : 'unreadable' };
  }
}

/**
 * Days left on the TLS certificate in `file` (the first PEM certificate: the leaf of a fullchain).
 * Without a configured file the connector cannot know (nginx terminates TLS): unknown, with why.
 */
export async function certificateHealth(file: string | undefined, now: number): Promise<HealthItem> {
  const name = 'TLS certificate';
  if (!file) return { name, state: 'unknown', detail: 'unknown: set TLS_CERT_FILE to the certificate nginx serves' };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(await readFile(file));
  } catch (error) {
    const reason = (error as { code?: unknown }).code === 'ENOENT' ? 'file not found' : 'not a readable PEM certificate';
    return { name, state: 'unknown', detail: `unknown: ${reason} (TLS_CERT_FILE)` };
  }
  const left = Date.parse(certificate.validTo) - now;
  const days = Math.floor(Math.abs(left) / 86_400_000);
  const subject = certificate.subjectAltName ?? certificate.subject;
  if (left < 0) return { name, state: 'failing', detail: `expired ${days} day(s) ago (${subject})` };
  return { name, state: days < CERT_WARNING_DAYS ? 'warning' : 'ok', detail: `${days} day(s) left (${subject})` };
}
