import { TsqlError } from '../errors.ts';
import { quoteLiteral } from './context.ts';
import type { Emitter } from './emit.ts';
import type { Node } from './tree.ts';

/**
 * FORMAT(value, 'pattern'): .NET format strings translated to `to_char` for the common cases
 * (date patterns like 'yyyy-MM-dd HH:mm', standard numeric formats N/C/P/F/D with digits, and
 * custom numeric patterns such as '#,##0.00'). The pattern must be a literal.
 */
export function formatCall(e: Emitter, a: Node[][], d: number): string {
  const value = e.nodes(a[0] ?? [], d);
  const fmtNode = a[1]?.[0];
  const fmt =
    fmtNode && fmtNode.kind === 'string'
      ? fmtNode.value
      : fmtNode && fmtNode.kind === 'variable'
        ? e.ctx.variables.get(fmtNode.text.toLowerCase())?.value
        : undefined;
  if (fmt === undefined || fmt === null) throw new TsqlError(40004, 'FORMAT in the sandbox needs a literal format string.');
  const std = /^([NnCcPpFfDd])(\d*)$/.exec(fmt);
  if (std) {
    const kind = (std[1] as string).toUpperCase();
    const digits = std[2] === '' ? (kind === 'D' ? 0 : 2) : Number(std[2]);
    const frac = digits > 0 ? `.${'0'.repeat(digits)}` : '';
    switch (kind) {
      case 'N':
        return `btrim(to_char(${value}, 'FM999,999,999,999,999,990${frac}'))`;
      case 'C':
        return `('$' || btrim(to_char(${value}, 'FM999,999,999,999,999,990${frac}')))`;
      case 'P':
        return `(btrim(to_char((${value}) * 100, 'FM999,999,999,999,990${frac}')) || ' %')`;
      case 'F':
        return `btrim(to_char(${value}, 'FM999999999999999990${frac}'))`;
      default:
        return `lpad((${value})::bigint::text, ${digits}, '0')`;
    }
  }
  if (/^[#0,.]+$/.test(fmt)) {
    const [intPart = '', fracPart] = fmt.split('.');
    const grouped = intPart.includes(',');
    const intDigits = intPart.replaceAll(',', '');
    let pat = intDigits.replaceAll('#', '9');
    if (grouped) pat = pat.replace(/(\d)(?=(\d{3})+$)/g, '$1,');
    pat = `FM${'9'.repeat(12)}${grouped ? ',' : ''}${pat}`;
    if (fracPart !== undefined) pat += `.${fracPart.replaceAll('#', '9')}`;
    return `btrim(to_char(${value}, ${quoteLiteral(pat)}))`;
  }
  return `to_char(${value}, ${quoteLiteral(dotnetDatePattern(fmt))})`;
}

const DATE_TOKENS: [RegExp, string][] = [
  [/^yyyy/, 'YYYY'],
  [/^yy/, 'YY'],
  [/^MMMM/, 'FMMonth'],
  [/^MMM/, 'Mon'],
  [/^MM/, 'MM'],
  [/^M/, 'FMMM'],
  [/^dddd/, 'FMDay'],
  [/^ddd/, 'Dy'],
  [/^dd/, 'DD'],
  [/^d/, 'FMDD'],
  [/^HH/, 'HH24'],
  [/^H/, 'FMHH24'],
  [/^hh/, 'HH12'],
  [/^h/, 'FMHH12'],
  [/^mm/, 'MI'],
  [/^m/, 'FMMI'],
  [/^ss/, 'SS'],
  [/^s/, 'FMSS'],
  [/^fff/, 'MS'],
  [/^ff/, 'MS'],
  [/^tt/, 'AM'],
  [/^zzz/, 'TZH:TZM'],
];

function dotnetDatePattern(fmt: string): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const rest = fmt.slice(i);
    const hit = DATE_TOKENS.find(([re]) => re.test(rest));
    if (hit) {
      out += hit[1];
      i += (rest.match(hit[0]) as RegExpMatchArray)[0].length;
    } else {
      const ch = fmt[i] as string;
      out += /[A-Za-z]/.test(ch) ? `"${ch}"` : ch;
      i++;
    }
  }
  return out;
}
