import type { OAuthStore, RefreshTokenRecord, SigningKeyRecord } from '../oauth/core/types.ts';
import type { Counters } from '../state/counters.ts';
import type { FamilySnapshot, StateSnapshot } from './sqlite-source.ts';

/** Per kind of state: how many entries are (or, in a dry run, would be) copied, and how many the target already holds. */
export interface KindReport {
  copy: number;
  present: number;
  /** Entries that cannot be copied faithfully and are left out (see `reasons`). */
  skipped: number;
}

export interface MigrationReport {
  dryRun: boolean;
  clients: KindReport;
  keys: KindReport;
  families: KindReport;
  sessions: KindReport;
  counters: KindReport;
  /** Client-assertion `jti` markers; the target cannot be asked without recording one, so `copy` counts at most. */
  assertions: KindReport;
  reasons: string[];
}

/** The target already holds state that the copy would contradict: nothing was written. */
export class MigrationConflictError extends Error {
  readonly code = 'MIGRATE_CONFLICT';
}

export interface MigrationTarget {
  store: OAuthStore;
  counters: Counters;
}

const blank = (): KindReport => ({ copy: 0, present: 0, skipped: 0 });
const base = (token: RefreshTokenRecord): RefreshTokenRecord => ({
  tokenHash: token.tokenHash,
  familyId: token.familyId,
  expiresAt: token.expiresAt,
});

/**
 * A family's tokens as a rotation chain: the rotated tokens in the order they were rotated, each
 * into the next, ending with the one still usable. Tokens after that one (none in a store a
 * connector wrote) are dropped; a family without a usable token gives an empty chain (any use of
 * a rotated token is a replay), so it is not copied.
 */
export function rotationChain(tokens: RefreshTokenRecord[]): { chain: RefreshTokenRecord[]; dropped: number } {
  const sorted = [...tokens].sort(
    (a, b) => (a.rotatedAt ?? Number.POSITIVE_INFINITY) - (b.rotatedAt ?? Number.POSITIVE_INFINITY) || a.expiresAt - b.expiresAt,
  );
  const usable = sorted.findIndex((token) => token.rotatedAt === undefined);
  const chain = usable === -1 ? [] : sorted.slice(0, usable + 1);
  return { chain, dropped: tokens.length - chain.length };
}

/**
 * Signing keys to add, oldest first. Refuses (conflict) when the target has keys of its own —
 * replicas already started on it and sign with a key the source never had — or lacks a source key
 * older than one it has: `addKey` retires every other key, so only newer keys can be appended.
 */
function keysToAdd(source: SigningKeyRecord[], target: SigningKeyRecord[]): SigningKeyRecord[] {
  const sourceKids = new Set(source.map((key) => key.kid));
  const foreign = target.filter((key) => !sourceKids.has(key.kid));
  if (foreign.length > 0) {
    throw new MigrationConflictError(
      `the target already holds ${foreign.length} signing key(s) the source does not (a connector ran on it): ` +
        'migrate before starting the replicas, or empty the target first',
    );
  }
  const newest = Math.max(Number.NEGATIVE_INFINITY, ...target.map((key) => key.createdAt));
  const targetKids = new Set(target.map((key) => key.kid));
  const missing = source.filter((key) => !targetKids.has(key.kid)).sort((a, b) => a.createdAt - b.createdAt);
  if (missing.some((key) => key.createdAt < newest)) {
    throw new MigrationConflictError('the target lacks a signing key older than one it holds: it cannot be inserted in order');
  }
  return missing;
}

/** How many of the chain's tokens, from its start, the target already holds (an earlier, interrupted run). */
async function tokensHeld(store: OAuthStore, chain: RefreshTokenRecord[]): Promise<number> {
  let held = 0;
  while (held < chain.length && (await store.findRefresh((chain[held] as RefreshTokenRecord).tokenHash))) held++;
  return held;
}

/**
 * Writes the chain from token `from` on: the family with its first token, then each rotation in
 * turn, so at every moment a token the source had rotated is rotated on the target too — an
 * interrupted run never leaves a spent token usable, and the next run resumes where it stopped.
 */
async function writeChain(store: OAuthStore, { family }: FamilySnapshot, chain: RefreshTokenRecord[], from: number): Promise<void> {
  const first = chain[0];
  if (from === 0 && first) await store.createFamily(family, base(first));
  for (let i = Math.max(1, from); i < chain.length; i++) {
    const previous = chain[i - 1] as RefreshTokenRecord;
    const rotated = await store.rotateRefresh(
      previous.tokenHash,
      previous.rotatedAt ?? 0,
      previous.graceBlob ?? '',
      base(chain[i] as RefreshTokenRecord),
    );
    if (!rotated) return; // rotated on the target since (a refresh there): its history goes on from there
  }
}

/**
 * Copies what `snapshot` holds into `target` through the stores' own seams (the atomic scripts
 * keep working as they would for state written by a connector). Idempotent: entries the target
 * already holds are counted `present` and left as they are (a family revoked on the target stays
 * revoked), so a second run copies only what the first did not. With `dryRun` nothing is written.
 * Conflicting signing keys refuse the whole run before anything is written.
 */
export async function copyState(
  snapshot: StateSnapshot,
  target: MigrationTarget,
  options: { dryRun: boolean; now: number },
): Promise<MigrationReport> {
  const { store, counters } = target;
  const write = !options.dryRun;
  const report: MigrationReport = {
    dryRun: options.dryRun,
    clients: blank(),
    keys: blank(),
    families: blank(),
    sessions: blank(),
    counters: blank(),
    assertions: blank(),
    reasons: [],
  };
  const targetKeys = await store.listKeys();
  const keys = keysToAdd(snapshot.keys, targetKeys);
  report.keys = { copy: keys.length, present: snapshot.keys.length - keys.length, skipped: 0 };
  for (const key of keys) if (write) await store.addKey(key);

  /** Copies each item the target lacks; counts the rest present. */
  const copyMissing = async <T>(items: T[], kind: KindReport, held: (item: T) => Promise<unknown>, save: (item: T) => Promise<void>) => {
    for (const item of items) {
      if (await held(item)) kind.present++;
      else {
        kind.copy++;
        if (write) await save(item);
      }
    }
  };
  await copyMissing(snapshot.clients, report.clients, (client) => store.getClient(client.clientId), store.saveClient);
  for (const snap of snapshot.families) {
    const { chain, dropped } = rotationChain(snap.tokens);
    if (chain.length === 0) {
      report.families.skipped++;
      report.reasons.push(`grant ${snap.family.familyId}: no usable refresh token left (every live one was rotated)`);
      continue;
    }
    const exists = (await store.getFamily(snap.family.familyId)) !== undefined;
    const held = exists ? await tokensHeld(store, chain) : 0;
    // Present: complete, or a grant the target holds without any of these tokens (left as it is).
    if (exists && (held === 0 || held === chain.length)) {
      report.families.present++;
      continue;
    }
    if (dropped > 0) report.reasons.push(`grant ${snap.family.familyId}: ${dropped} token(s) after its usable one left out`);
    report.families.copy++;
    if (write) await writeChain(store, snap, chain, held);
  }
  await copyMissing(snapshot.sessions, report.sessions, (session) => store.getSession(session.idHash), store.saveSession);
  for (const counter of snapshot.counters) {
    // Counted up to the source's count, in a window ending when the source's does.
    const missing = counter.count - (await counters.get(counter.key, options.now));
    if (missing <= 0) report.counters.present++;
    else {
      report.counters.copy++;
      for (let i = 0; i < missing && write; i++) await counters.hit(counter.key, options.now, counter.resetAt - options.now);
    }
  }
  for (const marker of snapshot.assertions) {
    if (!write) report.assertions.copy++;
    else if (await store.useOnce(marker.key, marker.expiresAt, options.now)) report.assertions.copy++;
    else report.assertions.present++;
  }
  return report;
}
