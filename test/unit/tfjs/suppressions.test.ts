/** `// fitcheck: ignore[...]` and `/* fitcheck: ignore-file[...] *\/` in TypeScript/JavaScript, and the disable edits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../analyzers/core/apply-edits.js';
import { disableInFile, disableOnLine } from '../../../analyzers/suppression-edits.js';
import { getLinter } from '../helpers.js';

const base = [
  "import * as tf from '@tensorflow/tfjs';",
  'export function run(rows: number[][]): void {',
  '  for (const row of rows) {',
  '    tf.tensor2d([row]).print();',
  '  }',
  '}',
];

async function codes(lines: string[]): Promise<string[]> {
  return (await getLinter()).lintScript(lines.join('\n'), {}, 'typescript').findings.map((f) => `${f.code}@${f.span.start.line + 1}`).sort();
}

describe('tfjs suppressions', () => {
  it('reports the leak without a directive', async () => {
    assert.deepEqual(await codes(base), ['FC601@4']);
  });

  it('honours // and /* */ directives on the line, codes and prefixes', async () => {
    for (const directive of ['// fitcheck: ignore[FC601]', '// fitcheck: ignore[FC6]', '// fitcheck: ignore', '/* fitcheck: ignore[FC601] */']) {
      const lines = [...base];
      lines[3] = `${lines[3]} ${directive}`;
      assert.deepEqual(await codes(lines), [], directive);
    }
  });

  it('honours file directives anywhere, in line and block comments', async () => {
    assert.deepEqual(await codes([...base, '// fitcheck: ignore-file[FC601]']), []);
    assert.deepEqual(await codes(['/*', ' * fitcheck: ignore-file[FC6]', ' */', ...base]), []);
  });

  it('ignores directive text inside strings and templates', async () => {
    const lines = [...base];
    lines[3] = "    tf.tensor2d([row]).print(); const s = '// fitcheck: ignore[FC601]'; const t = `/* fitcheck: ignore */`;";
    assert.deepEqual(await codes(lines), ['FC601@4']);
  });

  it('reports unknown codes in a directive as FC000', async () => {
    const lines = [...base];
    lines[3] = `${lines[3]} // fitcheck: ignore[FC699]`;
    assert.deepEqual(await codes(lines), ['FC000@4', 'FC601@4']);
  });

  it('writes // directives for TypeScript/JavaScript (disable for this line / file)', async () => {
    const text = `#!/usr/bin/env node\n${base.join('\n')}`;
    const line = disableOnLine(text, 4, 'FC601', '//');
    assert.equal(applyEdits(text, [line]).split('\n')[4], '    tf.tensor2d([row]).print();  // fitcheck: ignore[FC601]');
    const file = disableInFile(text, 'FC601', '//');
    assert.deepEqual(applyEdits(text, [file]).split('\n').slice(0, 2), ['#!/usr/bin/env node', '// fitcheck: ignore-file[FC601]']);
    const extended = applyEdits(applyEdits(text, [line]), [disableOnLine(applyEdits(text, [line]), 4, 'FC000', '//')]);
    assert.match(extended.split('\n')[4]!, /ignore\[FC601, FC000\]/);
    // And the result really silences the finding.
    assert.deepEqual((await getLinter()).lintScript(applyEdits(text, [line]), {}, 'typescript').findings, []);
  });
});
