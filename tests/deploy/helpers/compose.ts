import { execFile, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The shared tool that starts a Docker engine and builds local stand-ins of the base images. */
export const OFFLINE_IMAGES = path.resolve(REPO_ROOT, '../shared/tools/offline-images.sh');

/** The tool keeps its logs under $TMPDIR, which a CI environment may leave unset (it runs with `set -u`). */
const toolEnv = () => ({ ...process.env, TMPDIR: process.env.TMPDIR || tmpdir() });
const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;

/**
 * Whether a Docker engine answers, starting one (and the base-image stand-ins) with
 * offline-images.sh when it exists and we may. Returns the reason when there is none: the compose
 * test puts it in its name.
 */
export function ensureDockerEngine(): { ready: true } | { ready: false; reason: string } {
  if (!ok('docker', ['info'])) {
    if (!existsSync(OFFLINE_IMAGES))
      return { ready: false, reason: 'no Docker engine answers and ../shared/tools/offline-images.sh is absent' };
    if (process.getuid?.() !== 0) return { ready: false, reason: 'no Docker engine answers and starting one needs root' };
    const engine = spawnSync(OFFLINE_IMAGES, ['engine'], { encoding: 'utf8', timeout: 300_000, env: toolEnv() });
    if (engine.status !== 0 || !ok('docker', ['info']))
      return { ready: false, reason: `the Docker engine did not start: ${(engine.stderr ?? '').trim().split('\n').pop()}` };
  }
  const missing = ['node:24-bookworm-slim', 'nginx:1.28-bookworm', 'certbot/certbot:latest'].filter(
    (tag) => !ok('docker', ['image', 'inspect', tag]),
  );
  if (missing.length > 0) {
    if (!existsSync(OFFLINE_IMAGES))
      return { ready: false, reason: `base images missing (${missing.join(', ')}) and no offline-images.sh to build them` };
    const build = spawnSync(OFFLINE_IMAGES, ['build', ...missing], { encoding: 'utf8', timeout: 900_000, env: toolEnv() });
    if (build.status !== 0)
      return { ready: false, reason: `offline-images.sh build failed: ${(build.stderr ?? '').trim().split('\n').pop()}` };
  }
  if (!composeCommand()) return { ready: false, reason: 'neither `docker compose` nor docker-compose is installed' };
  return { ready: true };
}

/** `docker compose` (v2) when present, else Debian's docker-compose 1.29. */
export function composeCommand(): string[] | undefined {
  if (ok('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (ok('docker-compose', ['version'])) return ['docker-compose'];
  return undefined;
}

/**
 * A copy of the files git tracks (what a clean clone holds; never node_modules or .env) in
 * `dir`: the compose project and build context the test runs, so parallel work in the tree and
 * local state cannot leak into the image.
 */
export async function copyProject(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const listed = spawnSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (listed.status === 0) {
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(path.join(REPO_ROOT, file))) continue;
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await cp(path.join(REPO_ROOT, file), path.join(dir, file), { preserveTimestamps: true });
    }
    return;
  }
  await cp(REPO_ROOT, dir, {
    recursive: true,
    filter: (src) => !/\/(node_modules|\.git|\.data|\.cache|dist)(\/|$)/.test(src) && !src.endsWith('/.env'),
  });
}

/** Runs compose for one project; resolves with stdout, rejects with stderr in the message. */
export async function compose(projectDir: string, project: string, args: string[], timeoutMs = 600_000): Promise<string> {
  const command = composeCommand();
  if (!command) throw new Error('no compose command');
  const [bin, ...base] = command as [string, ...string[]];
  try {
    const { stdout } = await run(bin, [...base, '-p', project, ...args], {
      cwd: projectDir,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, DOCKER_BUILDKIT: '0', COMPOSE_DOCKER_CLI_BUILD: '0' },
    });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command.join(' ')} ${args.join(' ')} failed: ${e.message}\n${(e.stderr ?? '').slice(-4000)}`);
  }
}

const LOCK = path.join(os.tmpdir(), 'mssql-deep-research-compose-test.lock');

/**
 * One compose test at a time on a machine (parallel `npm test` runs would build and start the same
 * stack twice): takes a lock file holding our pid, or reports who holds it. A stale lock (its
 * process gone) is taken over.
 */
export function acquireComposeLock(): { ok: true; release(): void } | { ok: false; reason: string } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return { ok: true, release: () => rmSync(LOCK, { force: true }) };
    } catch {
      const holder = Number(readFileSync(LOCK, 'utf8').trim());
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = true;
      } catch {
        /* gone */
      }
      if (alive && holder !== process.pid) return { ok: false, reason: `another compose test (pid ${holder}) is running` };
      rmSync(LOCK, { force: true });
    }
  }
  return { ok: false, reason: `cannot take ${LOCK}` };
}

/**
 * `acquireComposeLock`, waiting up to `timeoutMs` for another compose test to finish (the test
 * runner may start the compose test files side by side; the later one queues instead of skipping).
 */
export async function waitForComposeLock(timeoutMs: number): Promise<ReturnType<typeof acquireComposeLock>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lock = acquireComposeLock();
    if (lock.ok || Date.now() >= deadline) return lock;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

const imageId = (tag: string): string =>
  spawnSync('docker', ['image', 'inspect', '-f', '{{.Id}}', tag], { encoding: 'utf8' }).stdout?.trim() ?? '';

/**
 * Notes the image `tag` names now; the returned function, called after a rebuild, removes that
 * image if the tag moved on and nothing else uses it (a compose test's build must not leave its
 * previous image behind, untagged, on every run).
 */
export function rememberImage(tag: string): () => void {
  const before = imageId(tag);
  return () => {
    if (before && before !== imageId(tag)) spawnSync('docker', ['rmi', before], { stdio: 'ignore' });
  };
}
