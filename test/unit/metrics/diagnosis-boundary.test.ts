/** metrics/diagnosis is the pure half of metrics, shared with the webview: no Node, nothing from outside it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers.js';

const folder = path.join(repoRoot, 'metrics', 'diagnosis');

describe('the diagnosis folder', () => {
  it('imports nothing from Node or from outside itself, so the run panel can bundle it', () => {
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 10, `only ${files.length} files in metrics/diagnosis`);
    for (const file of files) {
      const source = fs.readFileSync(path.join(folder, file), 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        assert.ok(specifier!.startsWith('./') && !specifier!.includes('/', 2), `${file} imports ${specifier}`);
      }
    }
  });
});
