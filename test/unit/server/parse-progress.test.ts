/**
 * What Lint Workspace's progress token hears of a batch's parse of the Python project: begun at the first
 * report, at most one message per percent, ended at the last module (or with the batch, when the parse
 * stopped short), nothing for a batch that parses nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkDoneProgressReporter } from 'vscode-languageserver/node.js';
import { parseProgressOn } from '../../../analyzers/server/lint-files.js';

/** A reporter that records what it is told, as `kind percent message`. */
function recorder(): { reporter: WorkDoneProgressReporter; heard: string[] } {
  const heard: string[] = [];
  const reporter: WorkDoneProgressReporter = {
    begin: (title, percentage, message) => { heard.push(`begin ${percentage} ${message} (${title})`); },
    report: (percentage: unknown, message?: string) => { heard.push(`report ${String(percentage)} ${message}`); },
    done: () => { heard.push('done'); },
  };
  return { reporter, heard };
}

describe('the parse progress of a Lint Workspace batch', () => {
  it('begins at the first report, reports each new percent once, and ends at the last module, once', () => {
    const { reporter, heard } = recorder();
    const progress = parseProgressOn(reporter);
    for (let parsed = 0; parsed <= 250; parsed++) progress.report(parsed, 250);
    // The parse is over before the batch's own files are linted: the end comes now, not with the batch.
    assert.equal(heard.at(-1), 'done');
    progress.end();
    assert.equal(heard[0], 'begin 0 reading Python modules: 0 of 250 (Reading the Python project)');
    assert.equal(heard.at(-2), 'report 100 reading Python modules: 250 of 250');
    assert.equal(heard.filter((h) => h === 'done').length, 1);
    // 250 modules: one report per percent from 1 to 100 (parsed 3 is 1 %, 5 is 2 %, ...), not 250.
    assert.equal(heard.filter((h) => h.startsWith('report')).length, 100);
    assert.ok(heard.includes('report 1 reading Python modules: 3 of 250'));
  });

  it('ends with the batch when the parse stopped short (a cancelled batch)', () => {
    const { reporter, heard } = recorder();
    const progress = parseProgressOn(reporter);
    for (let parsed = 0; parsed <= 100; parsed++) progress.report(parsed, 250);
    assert.notEqual(heard.at(-1), 'done');
    progress.end();
    assert.deepEqual(heard.slice(-2), ['report 40 reading Python modules: 100 of 250', 'done']);
  });

  it('sends nothing, not even an end, for a batch that parsed nothing', () => {
    const { reporter, heard } = recorder();
    parseProgressOn(reporter).end();
    assert.deepEqual(heard, []);
  });
});
