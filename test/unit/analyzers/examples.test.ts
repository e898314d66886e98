/** The demo's examples report exactly what their `# expect:` comments say. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { actualFindings, expectedFindings, getLinter, repoRoot } from '../helpers.js';

const dirs = ['pytorch', 'keras'].map((d) => path.join(repoRoot, 'examples', d));

describe('examples', () => {
  for (const dir of dirs) {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.py'))) {
      it(`${path.basename(dir)}/${file} yields its annotated findings`, async () => {
        const text = fs.readFileSync(path.join(dir, file), 'utf8');
        const { findings } = (await getLinter()).lint(text);
        assert.deepEqual(actualFindings(findings), expectedFindings(text));
        if (file.includes('_clean')) assert.equal(findings.length, 0);
        else assert.ok(findings.length > 0);
      });
    }
  }
});
