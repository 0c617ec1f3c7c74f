import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DATA_DIR_PREFIX = 'tds-sandbox-pg-';

/**
 * Removes data directories (about 170 MB each) left by sandbox processes that ended without
 * closing (SIGKILL, a crash): the directory name carries the process id, which no longer runs.
 */
async function removeOrphanedDataDirs(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^tds-sandbox-pg-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    await rm(join(tmpdir(), name), { recursive: true, force: true }).catch(() => {});
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fresh temporary directory for one sandbox's PGlite data, named after this process. */
export async function createDataDir(): Promise<string> {
  await removeOrphanedDataDirs();
  return mkdtemp(join(tmpdir(), `${DATA_DIR_PREFIX}${process.pid}-`));
}
