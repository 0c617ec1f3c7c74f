import { configVariableNames } from '../src/config.ts';

/**
 * The connector environment of `npm run demo`: its own defaults (sandbox login, generated key and
 * operator, loopback address), then every connector variable set (non-empty) in the caller's
 * environment on top, so `QUERY_TIMEOUT_MS=500 npm run demo` or `RATE_LIMIT_PER_MINUTE=0 npm run
 * demo` behave as they would for `npm start`. The names come from the config schema, so a variable
 * added to src/config.ts passes through without touching the demo.
 */
export function demoEnvironment(defaults: Record<string, string>, env: Record<string, string | undefined>): Record<string, string> {
  const merged = { ...defaults };
  for (const name of configVariableNames) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') merged[name] = value;
  }
  return merged;
}
