import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const shared = new URL('../../../shared/corpus/', import.meta.url);
const vendored = new URL('../corpus/', import.meta.url);
const files = ['tsql-valid.jsonl', 'tsql-refuse.jsonl', 'README.md'];

describe('tests/corpus: the copy used where shared/ is absent', () => {
  for (const file of files) {
    const skip = existsSync(new URL(file, shared)) ? false : 'skipped: shared/corpus is not beside this checkout, nothing to compare';
    it(`is identical to shared/corpus/${file}`, { skip }, () => {
      assert.equal(readFileSync(new URL(file, vendored), 'utf8'), readFileSync(new URL(file, shared), 'utf8'));
    });
  }
});
