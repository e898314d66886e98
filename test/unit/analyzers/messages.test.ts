/** Messages are one short sentence (the why is in the hover and the rule page), and related rows stay few. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../../analyzers/config.js';
import { runRules } from '../../../analyzers/engine.js';
import { lintNotebookJson, scriptLanguageOfPath } from '../../../analyzers/linter.js';
import { RULES } from '../../../analyzers/rules/index.js';
import { runSpecFacts } from '../../../analyzers/runspec/frontend.js';
import { parseSuppressions } from '../../../analyzers/suppressions.js';
import { fixturePath, getLinter, repoRoot } from '../helpers.js';

interface Said { code: string; message: string; related: string[]; where: string }

/** Files under `dir` (recursively) whose names end with `suffix`. */
function filesUnder(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(file, suffix) : e.name.endsWith(suffix) ? [file] : [];
  });
}

/** Every finding over the rule fixtures, the notebooks, the run specs and the examples. */
async function everyFinding(): Promise<Said[]> {
  const linter = await getLinter();
  const said: Said[] = [];
  const add = (where: string, findings: readonly { code: string; message: string; related: readonly { message: string }[] }[]) => {
    for (const f of findings) said.push({ code: f.code, message: f.message, related: f.related.map((r) => r.message), where: path.relative(repoRoot, where) });
  };
  const examples = path.join(repoRoot, 'examples');
  for (const file of [...filesUnder(fixturePath('python'), '.py'), ...filesUnder(examples, '.py')]) add(file, linter.lint(fs.readFileSync(file, 'utf8')).findings);
  for (const file of filesUnder(fixturePath('tfjs'), '')) {
    const language = scriptLanguageOfPath(file);
    if (language) add(file, linter.lintScript(fs.readFileSync(file, 'utf8'), {}, language).findings);
  }
  for (const file of filesUnder(fixturePath('notebooks'), '.ipynb')) add(file, lintNotebookJson(linter, fs.readFileSync(file, 'utf8')).findings);
  for (const file of [...filesUnder(fixturePath('runspecs'), '.fitrun.json'), ...filesUnder(examples, '.fitrun.json')]) {
    const { facts } = runSpecFacts(fs.readFileSync(file, 'utf8'));
    add(file, runRules(facts, resolveConfig({}), parseSuppressions([])));
  }
  return said;
}

describe('finding messages', () => {
  it('every rule says what is wrong in one sentence of at most 120 characters, over all fixtures', async () => {
    const said = await everyFinding();
    const codes = new Set(said.map((s) => s.code));
    assert.deepEqual(RULES.map((r) => r.code).filter((c) => !codes.has(c)), [], 'every rule fires somewhere in the fixtures');
    const long = said.filter((s) => s.message.length > 120).map((s) => `${s.code} (${s.message.length}) ${s.where}: ${s.message}`);
    assert.deepEqual(long, []);
    // A sentence ends at . ! or ? followed by a space or the end; "e.g." and "1e-3" are not ends.
    const several = said.filter((s) => s.message.split(/[.!?](?:\s|$)/).filter((part) => part.trim()).length !== 1);
    assert.deepEqual(several.map((s) => `${s.code} ${s.where}: ${s.message}`), []);
    const unended = said.filter((s) => !/[.!?]$/.test(s.message));
    assert.deepEqual(unended.map((s) => `${s.code} ${s.where}: ${s.message}`), [], 'a message ends as a sentence does');
  });

  it('related information stays at three rows or fewer, each a short phrase', async () => {
    const said = await everyFinding();
    assert.deepEqual(said.filter((s) => s.related.length > 3).map((s) => `${s.code} ${s.where}: ${s.related.length} rows`), []);
    assert.deepEqual(said.flatMap((s) => s.related.filter((r) => r.length > 80).map((r) => `${s.code}: ${r}`)), []);
  });

  it('FC201 points at no more than two other layers however deep the stack is', async () => {
    const text = `import torch.nn as nn\nmodel = nn.Sequential(${Array.from({ length: 9 }, () => 'nn.Linear(8, 8), nn.Sigmoid()').join(', ')}, nn.Linear(8, 1))\n`;
    const finding = (await getLinter()).lint(text).findings.find((f) => f.code === 'FC201');
    assert.ok(finding, 'nine stacked sigmoids are found');
    assert.equal(finding.related.length, 2);
    assert.deepEqual(finding.related.map((r) => r.message), ['saturating sigmoid 2 of 9', 'saturating sigmoid 9 of 9']);
  });
});
