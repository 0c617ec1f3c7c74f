import { createLocalSseRoutes } from '../../../src/state/sse-routes.ts';
import { sseRoutesContract } from './sse-routes-contract.ts';

sseRoutesContract('in-process (no STATE_STORE_URL)', () => {
  const routes = createLocalSseRoutes();
  return { holder: routes, poster: routes };
});
