const PARTS: Record<string, string> = {
  year: 'year', yy: 'year', yyyy: 'year', quarter: 'quarter', qq: 'quarter', q: 'quarter',
  month: 'month', mm: 'month', m: 'month', dayofyear: 'dayofyear', dy: 'dayofyear', y: 'dayofyear',
  day: 'day', dd: 'day', d: 'day', week: 'week', wk: 'week', ww: 'week', weekday: 'weekday', dw: 'weekday',
  w: 'weekday', hour: 'hour', hh: 'hour', minute: 'minute', mi: 'minute', n: 'minute', second: 'second',
  ss: 'second', s: 'second', millisecond: 'millisecond', ms: 'millisecond', microsecond: 'microsecond',
  mcs: 'microsecond', nanosecond: 'nanosecond', ns: 'nanosecond', iso_week: 'iso_week', isowk: 'iso_week',
  isoww: 'iso_week', tzoffset: 'tzoffset', tz: 'tzoffset',
};

/** The canonical name of a DATEADD/DATEDIFF/DATEPART date part, or undefined. */
export function datePart(text: string): string | undefined {
  return PARTS[text.toLowerCase()];
}
