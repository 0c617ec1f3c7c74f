import { jsonBytes } from './outcome.ts';

/**
 * Shrinks output to a byte budget instead of failing: a search drops its last results, a fetch
 * shows fewer rows or cuts its text, and each says so. Only when even the smallest form does not
 * fit does the caller answer `RESULT_TOO_LARGE`.
 */

/**
 * The largest n in [0, max] for which `fits(n)` holds, assuming it is monotone; -1 when none.
 * The whole is tried first: it usually fits, and then one build is all it costs.
 */
export function largestFitting(max: number, fits: (n: number) => boolean): number {
  if (max > 0 && fits(max)) return max;
  if (!fits(0)) return -1;
  let lo = 0;
  let hi = max - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Cuts `text` (appending `note`) until `build(text)` serialises within `maxBytes`; undefined when even an empty text does not fit. */
export function fitText<T>(text: string, maxBytes: number, build: (text: string) => T, note: string): T | undefined {
  const whole = build(text);
  if (jsonBytes(whole) <= maxBytes) return whole;
  const n = largestFitting(text.length, (k) => jsonBytes(build(`${text.slice(0, k)}${note}`)) <= maxBytes);
  return n < 0 ? undefined : build(`${text.slice(0, n)}${note}`);
}
