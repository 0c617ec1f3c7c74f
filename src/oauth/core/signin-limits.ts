import type { Counters } from '../../state/counters.ts';

export interface SignInLimitsConfig {
  /** Failures per (username, address) before that pair waits (LOGIN_MAX_ATTEMPTS). */
  loginMaxAttempts: number;
  /** Failures per address, any usernames (LOGIN_IP_MAX_ATTEMPTS). */
  loginIpMaxAttempts: number;
  /** Failures per username from all addresses before it is locked for everyone (LOGIN_GLOBAL_MAX_ATTEMPTS). */
  loginGlobalMaxAttempts: number;
  /** Sign-in posts per address per minute, successful or not (LOGIN_RATE_PER_MINUTE). */
  loginRatePerMinute: number;
  /** Length of a counting window; a pair's window doubles with each lockout it earned (LOGIN_LOCKOUT_MINUTES). */
  loginLockoutMinutes: number;
}

/** A sign-in attempt allowed to check a password; `failed`/`succeeded` settle its reservations. */
export interface SignInAttempt {
  failed(): Promise<void>;
  succeeded(): Promise<void>;
}

export type SignInReservation = { ok: true; attempt: SignInAttempt } | { ok: false; retryAfterSeconds: number };

const DAY_MS = 24 * 3_600_000;

/**
 * The sign-in throttle (issue 10 items 7–8). Each attempt reserves a slot in four counters
 * atomically, before any password work, so parallel guesses cannot all be evaluated:
 *
 * - posts per address per minute, whatever their outcome (the app's own rate limit, as nginx's);
 * - per (username, address): the small limit; every lockout this pair earns doubles its next
 *   window (backoff, capped at a day) — a guesser slows down, the operator elsewhere is untouched;
 * - per address: a larger limit across usernames (spraying one password over many names);
 * - per username from everywhere: a much higher limit, so a stranger cannot lock an operator out
 *   with a handful of wrong passwords, while a distributed attack still ends.
 *
 * A success gives the failure reservations back and clears the pair; a failure keeps them. The
 * counters are the embedded store's, or Redis's when replicas share state (STATE_STORE_URL), so
 * a lockout holds on every replica; a store that cannot answer rejects with `StateStoreError`.
 */
export function createSignInLimits(store: Counters, config: SignInLimitsConfig) {
  const baseMs = config.loginLockoutMinutes * 60_000;
  return {
    async reserve(username: string, ip: string, now: number): Promise<SignInReservation> {
      const user = username.toLowerCase();
      const pair = `login:pair:${user}\u0000${ip}`;
      const lockouts = `login:pair-lockouts:${user}\u0000${ip}`;
      const pairWindow = Math.min(DAY_MS, baseMs * 2 ** (await store.get(lockouts, now)));
      const counters = [
        { key: `login:rate:${ip}`, windowMs: 60_000, max: config.loginRatePerMinute },
        { key: pair, windowMs: pairWindow, max: config.loginMaxAttempts },
        { key: `login:ip:${ip}`, windowMs: baseMs, max: config.loginIpMaxAttempts },
        { key: `login:user:${user}`, windowMs: baseMs, max: config.loginGlobalMaxAttempts },
      ];
      const reserved: string[] = [];
      let pairCount = 0;
      for (const counter of counters) {
        const result = await store.reserve(counter.key, now, counter.windowMs, counter.max);
        if (!result.ok) {
          for (const key of reserved) await store.release(key);
          return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((result.resetAt - now) / 1000)) };
        }
        reserved.push(counter.key);
        if (counter.key === pair) pairCount = result.count;
      }
      return {
        ok: true,
        attempt: {
          async failed() {
            if (pairCount >= config.loginMaxAttempts) await store.hit(lockouts, now, DAY_MS);
          },
          async succeeded() {
            await store.reset(pair);
            for (const key of reserved.slice(2)) await store.release(key);
          },
        },
      };
    },
  };
}

/** "4 minutes", "1 hour 5 minutes": how long a locked-out person waits, for the page. */
export function describeWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (hours === 0) return part(minutes, 'minute');
  return rest === 0 ? part(hours, 'hour') : `${part(hours, 'hour')} ${part(rest, 'minute')}`;
}
