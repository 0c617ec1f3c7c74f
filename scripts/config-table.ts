/**
 * Renders the README's configuration table from `.env.example`, so the two never drift apart.
 * `node scripts/config-table.ts --write` rewrites the README between its CONFIG-TABLE markers;
 * without `--write` it prints the table. `tests/docs/config-docs.test.ts` checks the README is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface EnvVariable {
  name: string;
  example: string;
  description: string;
  section: string;
}

const START = '<!-- CONFIG-TABLE:START';
const END = '<!-- CONFIG-TABLE:END -->';

/** Reads `NAME=value` lines with the comment lines above them; `# ── Section ──` lines start sections. */
export function parseEnvExample(text: string): EnvVariable[] {
  const variables: EnvVariable[] = [];
  let comments: string[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const heading = /^#\s*──\s*(.+?)\s*─*$/.exec(line);
    if (heading) {
      section = heading[1] ?? '';
      comments = [];
    } else if (line.startsWith('#')) {
      const comment = line.replace(/^#\s?/, '');
      if (!/MARKER/.test(comment)) comments.push(comment);
    } else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) {
      const at = line.indexOf('=');
      variables.push({ name: line.slice(0, at), example: line.slice(at + 1), description: comments.join(' '), section });
      comments = [];
    } else if (line === '') {
      comments = [];
    }
  }
  return variables;
}

/** The Markdown table, one row per variable, grouped by section. */
export function renderTable(variables: readonly EnvVariable[]): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  const rows = ['| Variable | Example or default | What it does |', '| --- | --- | --- |'];
  let section = '';
  for (const v of variables) {
    if (v.section !== section) {
      section = v.section;
      rows.push(`| **${cell(section)}** | | |`);
    }
    rows.push(`| \`${v.name}\` | ${v.example === '' ? '' : `\`${cell(v.example)}\``} | ${cell(v.description)} |`);
  }
  return rows.join('\n');
}

/** The README with its table replaced by one rendered from `envExample`. */
export function withTable(readme: string, envExample: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md has no CONFIG-TABLE markers');
  const startLineEnd = readme.indexOf('\n', start) + 1;
  return `${readme.slice(0, startLineEnd)}${renderTable(parseEnvExample(envExample))}\n${readme.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('../', import.meta.url);
  const envExample = readFileSync(new URL('.env.example', root), 'utf8');
  if (process.argv.includes('--write')) {
    const readmeUrl = new URL('README.md', root);
    writeFileSync(readmeUrl, withTable(readFileSync(readmeUrl, 'utf8'), envExample));
  } else {
    process.stdout.write(`${renderTable(parseEnvExample(envExample))}\n`);
  }
}
