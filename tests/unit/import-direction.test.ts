import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';

// docs/architecture.md "Import direction": the import arrows point down, from the HTTP edge to the
// pure core. Imports are read as statements at the start of a line (so JSDoc that mentions a
// module does not count): static, type-only and side-effect imports, re-exports, dynamic `import()`.

const root = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** What a source text imports: package names as written, relative imports as repository paths. */
function importsOf(file: string, text: string): string[] {
  const statement = /^[ \t]*(?:import|export)\b(?:[^;'"]*?\bfrom)?\s*['"]([^'"]+)['"]/gm;
  const dynamic = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(statement), ...text.matchAll(dynamic)].map(([, spec = '']) =>
    spec.startsWith('.') ? relative(root, resolve(root, dirname(file), spec)) : spec,
  );
}

const isHono = (spec: string): boolean => spec === 'hono' || spec.startsWith('hono/');
const under = (folder: string) => (spec: string) => spec.startsWith(`${folder}/`);

interface Rule {
  name: string;
  folders: readonly string[];
  forbidden: (spec: string) => boolean;
}

const core = ['src/oauth/core', 'src/auth', 'src/mcp', 'src/db', 'src/sql-guard', 'src/research', 'src/cache', 'src/state'];
const rules: readonly Rule[] = [
  { name: 'the core never imports hono', folders: core, forbidden: isHono },
  { name: 'the core never imports the OAuth HTTP handlers', folders: core, forbidden: under('src/oauth/http') },
  { name: 'the core never imports the HTTP edge', folders: core, forbidden: under('src/http') },
  { name: 'src/mcp and src/oauth never import upward from src/http', folders: ['src/mcp', 'src/oauth'], forbidden: under('src/http') },
];

describe('import direction', () => {
  test('the import reader sees static, type-only, multi-line, side-effect, re-exported and dynamic imports, not JSDoc', () => {
    const text = [
      "import { Hono } from 'hono';",
      "import type { Principal } from '../../auth/principal.ts';",
      'import {',
      '  a,',
      '  type B,',
      "} from 'hono/html';",
      "import '../../http/side-effect.ts';",
      "export { x } from '../../http/context.ts';",
      'export * as y from "../http/y.ts";',
      "  const m = await import('../http/pages.ts');",
      " * Only the edge imports hono: `import { Hono } from 'hono'`.",
    ].join('\n');
    assert.deepEqual(importsOf('src/oauth/core/x.ts', text), [
      'hono',
      'src/auth/principal.ts',
      'hono/html',
      'src/http/side-effect.ts',
      'src/http/context.ts',
      'src/oauth/http/y.ts',
      'src/oauth/http/pages.ts',
    ]);
  });

  for (const rule of rules) {
    test(rule.name, () => {
      const files = rule.folders.flatMap(sourceFiles);
      assert.ok(files.length > rule.folders.length, `found source files in ${rule.folders.join(', ')}`);
      const offenders = files.flatMap((file) =>
        importsOf(file, readFileSync(join(root, file), 'utf8'))
          .filter(rule.forbidden)
          .map((spec) => `${file} imports ${spec}`),
      );
      assert.deepEqual(offenders, []);
    });
  }
});
