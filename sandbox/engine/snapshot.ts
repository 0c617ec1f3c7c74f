import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchEvent } from '../backend.ts';
import { bootstrapDatabase, SESSION_SETUP_SQL } from './bootstrap/index.ts';
import { EngineCore } from './core.ts';
import { runChecked } from './pg.ts';
import { EngineSession } from './session.ts';
import { syncIdentity } from './session-statements.ts';

const SANDBOX_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
/** Default snapshot directory: `<repo>/.cache/sandbox`. */
export const DEFAULT_CACHE_DIR = join(dirname(SANDBOX_DIR), '.cache', 'sandbox');
const STALE_LOCK_MS = 10 * 60_000;

export interface SnapshotOptions {
  cacheDir?: string;
  database?: string;
}

/**
 * Builds (once) the sample database and caches it on disk as a PGlite data-directory tarball, so
 * later starts load in about a second instead of regenerating 200 000 rows. The file name carries
 * a hash of the engine's and the generator's sources, so any change to either rebuilds it. Two
 * processes may race: one builds under a lock file, the other waits; the file appears atomically.
 */
export async function prepareSnapshot(options: SnapshotOptions = {}): Promise<string> {
  const dir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const database = options.database ?? 'RetailDB';
  const key = await sourceHash(database);
  const file = join(dir, `engine-${database.toLowerCase()}-${key}.tar`);
  if (await exists(file)) return file;
  await mkdir(dir, { recursive: true });
  const lockPath = `${file}.lock`;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.close();
      break;
    } catch {
      if (await exists(file)) return file;
      const info = await stat(lockPath).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > STALE_LOCK_MS) await rm(lockPath, { force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (await exists(file)) return file;
    const tar = await buildSnapshot(database);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, tar);
    await rename(tmp, file);
    await pruneOld(dir, database, file);
    return file;
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function buildSnapshot(database: string): Promise<Uint8Array> {
  const pg = await PGlite.create();
  try {
    await bootstrapDatabase(pg, database);
    const core = new EngineCore(pg, database);
    const session = new EngineSession(core, { user: 'snapshot', role: 'owner' }, database, 1);
    const failures: string[] = [];
    for (const batch of await sampleBatches(database)) {
      for await (const ev of session.batch(batch, new AbortController().signal) as AsyncIterable<BatchEvent>) {
        if (ev.kind === 'error' && failures.length < 5)
          failures.push(`${ev.message.number}: ${ev.message.message} in: ${batch.slice(0, 300)}`);
      }
    }
    if (failures.length > 0) throw new Error(`the sample database did not load through the engine:\n${failures.join('\n')}`);
    await session.close();
    const tables = await runChecked(
      pg,
      `SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND tsql.is_user_schema(n.nspname)`,
    );
    for (const row of tables[0]?.rows ?? []) await syncIdentity({ pg }, String(row[0]));
    await runChecked(pg, 'RESET ROLE');
    await runChecked(pg, 'VACUUM ANALYZE');
    const blob = await pg.dumpDataDir('none');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    await pg.close();
  }
}

/** PGlite's WebAssembly and file bundle, compiled and read ahead of need (a spare engine thread). */
export type PGlitePreload = Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule' | 'fsBundle'>;

/** Compiles PGlite's WebAssembly and reads its file bundle, the slow part of starting it. */
export async function preloadPGlite(): Promise<PGlitePreload> {
  const dist = new URL('./', import.meta.resolve('@electric-sql/pglite'));
  // The project's TypeScript libs leave out WebAssembly's declarations; Node has it globally.
  const wasm = (
    globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<NonNullable<PGlitePreload['pgliteWasmModule']>> } }
  ).WebAssembly;
  const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
    readFile(new URL('pglite.wasm', dist)).then((bytes) => wasm.compile(bytes)),
    readFile(new URL('initdb.wasm', dist)).then((bytes) => wasm.compile(bytes)),
    readFile(new URL('pglite.data', dist)).then((bytes) => new Blob([bytes])),
  ]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle };
}

/**
 * Loads a PGlite instance from the snapshot file, in memory or into `dataDir`. A `dataDir` that
 * already holds a database (a previous engine thread's) is opened as it is: PostgreSQL's crash
 * recovery replays its write-ahead log, so committed transactions are kept.
 */
export async function openSnapshot(file: string, dataDir?: string, preloaded: PGlitePreload = {}): Promise<PGlite> {
  const pg =
    dataDir !== undefined && (await exists(join(dataDir, 'PG_VERSION')))
      ? await PGlite.create(dataDir, preloaded)
      : await PGlite.create({ ...preloaded, ...(dataDir === undefined ? {} : { dataDir }), loadDataDir: new Blob([await readFile(file)]) });
  await runChecked(pg, SESSION_SETUP_SQL);
  return pg;
}

async function sampleBatches(database: string): Promise<Iterable<string>> {
  try {
    const sample = (await import('../sample/index.ts')) as { generateSampleDatabase?: (o: { database: string }) => Iterable<string> };
    return sample.generateSampleDatabase ? sample.generateSampleDatabase({ database }) : [];
  } catch {
    return [];
  }
}

async function sourceHash(database: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`${database}\n`);
  for (const sub of ['engine', 'sample']) {
    for (const f of (await listFiles(join(SANDBOX_DIR, sub))).sort()) {
      hash.update(f);
      hash.update(await readFile(f));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Removes snapshots of earlier source versions (best effort; an open file stays readable). */
async function pruneOld(dir: string, database: string, keep: string): Promise<void> {
  const prefix = `engine-${database.toLowerCase()}-`;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const p = join(dir, name);
    if (name.startsWith(prefix) && name.endsWith('.tar') && p !== keep) await rm(p, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
