/** Well-written training scripts in the style of official examples get no warning or error. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fixturePath, getLinter } from '../helpers.js';

const dir = fixturePath('clean');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.py')).sort() : [];

describe('clean reference set', () => {
  it('has at least 10 scripts', () => {
    assert.ok(files.length >= 10, `${files.length} scripts in ${dir}`);
  });

  for (const file of files) {
    it(`${file} yields no warning or error`, async () => {
      const { findings } = (await getLinter()).lint(fs.readFileSync(path.join(dir, file), 'utf8'));
      const loud = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
      assert.deepEqual(loud.map((f) => `${f.code}@${f.span.start.line + 1}: ${f.message.slice(0, 80)}`), []);
    });
  }
});
