import type { Principal } from '../http/auth/types.ts';
import type { Research } from '../research/types.ts';
import type { OAuthConfig } from './env.ts';
import { createOAuth, type OAuth } from './index.ts';
import { createSqliteStore } from './store-sqlite.ts';
import type { OAuthLogger } from './types.ts';

export interface OAuthServiceOptions {
  config: OAuthConfig;
  /** DATA_DIR: where `oauth.sqlite` lives (a Docker volume in production). */
  dataDir: string;
  logger: OAuthLogger;
  /** Renders `/records/<id>` pages through the research layer's `fetch`. */
  research?: Pick<Research, 'fetch'>;
  now?: () => number;
}

/**
 * The production composition of the authorization server, for `src/index.ts`: the persistent
 * sqlite store in DATA_DIR, the wall clock, and record pages rendered by `research.fetch`. The
 * result satisfies the server's `OAuthIntegration`; call `close()` on shutdown.
 */
export function createOAuthService(options: OAuthServiceOptions): OAuth & { close(): void } {
  const store = createSqliteStore(options.dataDir);
  const research = options.research;
  const oauth = createOAuth({
    store,
    clock: { now: options.now ?? (() => Date.now()) },
    config: options.config,
    logger: options.logger,
    ...(research
      ? {
          renderRecord: async (id: string, context: { principal: Principal; publicBase: string }) => {
            const outcome = await research.fetch(id, { principal: context.principal.id, publicBase: context.publicBase });
            return outcome.ok ? { title: outcome.value.title, text: outcome.value.text } : null;
          },
        }
      : {}),
  });
  return { ...oauth, close: () => store.close() };
}
