import { TdsProtocolError } from './errors.ts';

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Parses plain decimal notation ("-12.3400") into an integer scaled by 10^scale, rounding half
 * away from zero like SQL Server's conversion to a narrower scale.
 */
export function parseScaledDecimal(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new TdsProtocolError(`not a decimal: ${JSON.stringify(text)}`);
  }
  const negative = match[1] === '-';
  const whole = match[2] || '0';
  const fraction = match[3] ?? '';
  const kept = (fraction + '0'.repeat(scale)).slice(0, scale);
  let value = BigInt(whole + kept);
  if ((fraction[scale] ?? '0') >= '5') value += 1n;
  return negative ? -value : value;
}

/** Formats an integer scaled by 10^scale back into plain decimal notation. */
export function formatScaledDecimal(value: bigint, scale: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** DECIMALN/NUMERICN byte length for a precision (2.2.5.5.1.6): 5, 9, 13 or 17 including the sign. */
export function decimalLength(precision: number): number {
  if (precision <= 9) return 5;
  if (precision <= 19) return 9;
  if (precision <= 28) return 13;
  return 17;
}
