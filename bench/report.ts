import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One printed line of a benchmark table: what was measured, against what, and the goal. */
export interface Row {
  metric: string;
  measured: string;
  baseline?: string;
  ratio?: string;
  goal?: string;
  /** 'met' / 'missed' when there is a goal. */
  verdict?: string;
}

const HEADERS = ['metric', 'measured', 'baseline', 'ratio', 'goal', 'verdict'] as const;

/** Formats a table as fixed-width text (plain ASCII, so it reads the same in CI logs). */
export function formatTable(title: string, rows: readonly Row[]): string {
  const cells = rows.map((row) => HEADERS.map((key) => row[key] ?? ''));
  const widths = HEADERS.map((header, i) => Math.max(header.length, ...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((value, i) => value.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [`\n${title}`, line(HEADERS), rule, ...cells.map(line)].join('\n');
}

export const ms = (value: number): string => `${value.toFixed(3)} ms`;
export const ratio = (value: number): string => `${value.toFixed(2)}x`;
export const perSecond = (value: number): string => `${Math.round(value)} calls/s`;
export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/** Writes the machine-readable results (pretty JSON, fractions to 4 decimals) where the README says they are. */
export function writeJson(file: URL, data: unknown): void {
  mkdirSync(dirname(file.pathname), { recursive: true });
  const rounded = (_key: string, value: unknown): unknown =>
    typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10_000) / 10_000 : value;
  writeFileSync(file, `${JSON.stringify(data, rounded, 2)}\n`);
}
