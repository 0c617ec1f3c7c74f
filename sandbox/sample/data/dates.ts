import type { Random } from '../prng.ts';

/** Milliseconds in a day and an hour, for arithmetic on UTC timestamps. */
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** The sample's history: orders run from the first to the last day of this window. */
export const HISTORY_START = Date.UTC(2022, 0, 1);
export const HISTORY_END = Date.UTC(2025, 11, 31, 23, 59, 59);

/** Milliseconds since the epoch for a UTC calendar date. */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** `YYYY-MM-DD`, the unambiguous literal for `date` columns. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:MM:SS`, read the same way by SQL Server whatever its language setting. */
export function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** `YYYY-MM-DDTHH:MM:SS+HH:MM` for `datetimeoffset`: the local wall time at a fixed offset. */
export function isoDateTimeOffset(ms: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${isoDateTime(ms + offsetMinutes * 60_000)}${zone}`;
}

/** `HH:MM:SS` for `time` columns. */
export function isoTime(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;
}

/** A random instant in [from, to], rounded to the second, during waking hours more often than not. */
export function randomInstant(random: Random, from: number, to: number): number {
  const day = Math.floor(from / DAY) + random.int(0, Math.max(0, Math.floor((to - from) / DAY)));
  const hour = random.chance(0.85) ? random.int(7, 22) : random.int(0, 23);
  const ms = day * DAY + hour * HOUR + random.int(0, 3599) * 1000;
  return Math.min(Math.max(ms, from), to);
}

/** A canonical upper-case GUID (version 4 layout) drawn from the generator, as SQL Server prints them. */
export function guid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => random.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = (8 + random.int(0, 3)).toString(16);
  const s = hex.join('').toUpperCase();
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Random bytes, for the varbinary columns. */
export function bytes(random: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => random.int(0, 255));
}
