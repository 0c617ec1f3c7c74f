import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './compose.ts';

/** The Redis image docker-compose.scale.yml names (e.g. `redis:7.2-bookworm`). */
export function scaleRedisImage(): string {
  const file = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.scale.yml'), 'utf8')) as {
    services?: { redis?: { image?: string } };
  };
  const image = file.services?.redis?.image;
  if (!image) throw new Error('docker-compose.scale.yml names no redis image');
  return image;
}

/**
 * What the scale override needs of the official Redis image, on Debian's redis-server: a `redis`
 * user, `redis-server` and `redis-cli` on the PATH, `/data` owned by that user (a fresh named
 * volume takes the image's ownership). Plain Dockerfile syntax: the legacy builder builds it.
 */
const DOCKERFILE = `FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \\
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
VOLUME /data
EXPOSE 6379
LABEL offline-stand-in=true
CMD ["redis-server", "--protected-mode", "no"]
`;

/**
 * Makes sure `tag` exists. The registry cannot be reached here, so when the tag is absent a local
 * stand-in is built under it FROM the `debian:bookworm-slim` stand-in (offline-images.sh) with
 * Debian's redis-server (7.0), labelled `offline-stand-in=true` like the other stand-ins and kept
 * for the next run like them. A present image (a real one pulled from the registry, or an earlier
 * stand-in) is never replaced. Returns the reason when the stand-in cannot be built.
 */
export function ensureRedisImage(tag = scaleRedisImage()): { ready: true; built: boolean } | { ready: false; reason: string } {
  if (spawnSync('docker', ['image', 'inspect', tag], { stdio: 'ignore' }).status === 0) return { ready: true, built: false };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'redis-stand-in-'));
  try {
    writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    const build = spawnSync('docker', ['build', '-t', tag, dir], {
      encoding: 'utf8',
      timeout: 600_000,
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
    });
    if (build.status !== 0)
      return { ready: false, reason: `building a ${tag} stand-in failed: ${(build.stderr || build.stdout).trim().split('\n').pop()}` };
    return { ready: true, built: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
