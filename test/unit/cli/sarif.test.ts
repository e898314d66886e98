/** SARIF output of notebook findings: the region is in the .ipynb file, the cell is named. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { lintNotebookJson } from '../../../analyzers/linter.js';
import { formatSarif } from '../../../cli/format-sarif.js';
import { fixturePath, getLinter } from '../helpers.js';

describe('SARIF for a notebook', () => {
  it('places a finding on the line of the .ipynb file that holds its code, and names the cell', async () => {
    const file = fixturePath('notebooks', 'train.ipynb');
    const json = fs.readFileSync(file, 'utf8');
    const { findings } = lintNotebookJson(await getLinter(), json, { select: ['FC101'] });
    const log = JSON.parse(formatSarif([{ file, findings }], '0.0.0'));
    const result = log.runs[0].results[0];
    assert.equal(result.ruleId, 'FC101');
    assert.equal(result.properties.cell, 3);
    const line = json.split('\n')[result.locations[0].physicalLocation.region.startLine - 1];
    assert.match(line ?? '', /nn\.Softmax\(dim=1\)/);
  });
});
