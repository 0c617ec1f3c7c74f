import type { BatchEvent, Backend, Login, RpcParam, Session, SqlMessage, SqlValue } from '../../sandbox/backend.ts';

export const OWNER: Login = { user: 'retail_owner', role: 'owner' };
export const READER: Login = { user: 'retail_reader', role: 'reader' };

/** Runs a batch to the end and returns its events. */
export async function events(session: Session, sql: string, signal = new AbortController().signal): Promise<BatchEvent[]> {
  const out: BatchEvent[] = [];
  for await (const ev of session.batch(sql, signal)) out.push(ev);
  return out;
}

/** Runs an RPC to the end and returns its events. */
export async function rpcEvents(session: Session, proc: string, params: RpcParam[]): Promise<BatchEvent[]> {
  const out: BatchEvent[] = [];
  for await (const ev of session.rpc(proc, params, new AbortController().signal)) out.push(ev);
  return out;
}

export function errorsOf(evs: readonly BatchEvent[]): SqlMessage[] {
  return evs.flatMap((e) => (e.kind === 'error' ? [e.message] : []));
}

export function rowsOf(evs: readonly BatchEvent[]): SqlValue[][] {
  return evs.flatMap((e) => (e.kind === 'row' ? [e.values] : []));
}

/** Runs a batch that must succeed and returns the rows of its result sets as objects by column name. */
export async function query(session: Session, sql: string): Promise<Record<string, SqlValue>[]> {
  const evs = await events(session, sql);
  const errs = errorsOf(evs);
  if (errs.length > 0) throw new Error(`${sql}: ${errs.map((e) => `${e.number} ${e.message}`).join('; ')}`);
  const out: Record<string, SqlValue>[] = [];
  let names: string[] = [];
  for (const e of evs) {
    if (e.kind === 'columns') names = e.columns.map((c) => c.name);
    if (e.kind === 'row') out.push(Object.fromEntries(e.values.map((v, i) => [names[i] ?? String(i), v])));
  }
  return out;
}

export async function withSessions<T>(backend: Backend, logins: Login[], fn: (...s: Session[]) => Promise<T>): Promise<T> {
  const sessions = await Promise.all(logins.map((l) => backend.openSession(l, undefined)));
  try {
    return await fn(...sessions);
  } finally {
    for (const s of sessions) await s.close();
  }
}
