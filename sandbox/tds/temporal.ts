import { TdsProtocolError } from './errors.ts';

/**
 * Date and time arithmetic for the TDS temporal types, on strings so nothing passes through a
 * JavaScript Date (which would lose sub-millisecond digits and dates before 1970 in some zones).
 * Day numbers use the proleptic Gregorian calendar, as SQL Server does.
 */

/** Days from 0001-01-01 to a civil date (Howard Hinnant's days_from_civil, shifted). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 306;
}

export function civilFromDays(days: number): [number, number, number] {
  const z = days + 306;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

export const DAYS_1900 = daysFromCivil(1900, 1, 1);

const PATTERN =
  /^(?:(-?\d{1,4})-(\d{1,2})-(\d{1,2}))?[ T]?(?:(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{0,9}))?)?)?\s*(?:([+-])(\d{2}):?(\d{2})|Z)?$/;

export interface ParsedTemporal {
  /** Days since 0001-01-01 (0 when the text has no date). */
  days: number;
  /** Whole seconds since midnight. */
  seconds: number;
  /** Fraction digits as written (up to 9). */
  fraction: string;
  /** Offset from UTC in minutes, when the text carries one. */
  offsetMinutes: number | undefined;
}

export function parseTemporal(text: string): ParsedTemporal {
  const m = PATTERN.exec(text.trim());
  if (!m || (m[1] === undefined && m[4] === undefined)) throw new TdsProtocolError(`not a date/time: ${JSON.stringify(text)}`);
  const days = m[1] === undefined ? 0 : daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const seconds = m[4] === undefined ? 0 : Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6] ?? 0);
  let offsetMinutes: number | undefined;
  if (m[8] !== undefined) offsetMinutes = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  else if (text.trim().endsWith('Z')) offsetMinutes = 0;
  return { days, seconds, fraction: m[7] ?? '', offsetMinutes };
}

/** Time since midnight in units of 10^-scale seconds, rounding the fraction half up. */
export function timeUnits(seconds: number, fraction: string, scale: number): bigint {
  const kept = (fraction + '0'.repeat(scale)).slice(0, scale);
  let units = BigInt(seconds) * 10n ** BigInt(scale) + BigInt(kept || '0');
  if ((fraction[scale] ?? '0') >= '5') units += 1n;
  return units;
}

/** Byte length of a TIME value at a scale (2.2.5.5.1.8): 3, 4 or 5. */
export function timeLength(scale: number): number {
  if (scale <= 2) return 3;
  if (scale <= 4) return 4;
  return 5;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatDate(days: number): string {
  const [y, mo, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

/** 'HH:MM:SS[.fff…]' from units of 10^-scale seconds, with exactly `scale` fraction digits. */
export function formatTime(units: bigint, scale: number): string {
  const perSecond = 10n ** BigInt(scale);
  const total = Number(units / perSecond);
  const fraction = (units % perSecond).toString().padStart(scale, '0');
  const clock = `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
  return scale > 0 ? `${clock}.${fraction}` : clock;
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The text SQL Server sends a date, time, datetime2 or datetimeoffset value as to a client before
 * TDS 7.3 (nvarchar): ISO form with exactly `scale` fraction digits, e.g. '2024-01-02 03:04:05.1230000'.
 */
export function downlevelTemporalText(name: 'date' | 'time' | 'datetime2' | 'datetimeoffset', text: string, scale: number): string {
  const t = parseTemporal(text);
  if (name === 'date') return formatDate(t.days);
  const perDay = 86400n * 10n ** BigInt(scale);
  const units = timeUnits(t.seconds, t.fraction, scale);
  // Rounding up the last fraction digit can reach midnight: the next day, as SQL Server rounds.
  const days = t.days + Number(units / perDay);
  const clock = formatTime(units % perDay, scale);
  if (name === 'time') return clock;
  const stamp = `${formatDate(days)} ${clock}`;
  return name === 'datetime2' ? stamp : `${stamp} ${formatOffset(t.offsetMinutes ?? 0)}`;
}
