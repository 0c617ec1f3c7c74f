import { createRateLimiter } from '../../../src/state/rate-limiter.ts';
import { rateLimiterContract } from './rate-limiter-contract.ts';

let n = 0;
rateLimiterContract('in process (RateLimiterMemory)', (perMinute, windowSeconds) =>
  createRateLimiter({ perMinute, name: `t${++n}`, ...(windowSeconds ? { windowSeconds } : {}) }),
);
