import { createHash } from 'node:crypto';
import type { RedisClient } from './redis.ts';

/** A Lua script run by its SHA (EVALSHA), loaded again by EVAL when Redis answers NOSCRIPT (after a restart). */
export interface LuaScript {
  run(client: RedisClient, keys: string[], args: string[]): Promise<unknown>;
}

/**
 * Scripts make multi-key updates atomic across replicas: Redis runs one script at a time, so two
 * replicas evicting or counting concurrently cannot interleave.
 */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(client, keys, args) {
      try {
        return await client.evalSha(sha, { keys, arguments: args });
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return client.eval(source, { keys, arguments: args });
      }
    },
  };
}
