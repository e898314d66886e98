/** What users read says "the lesson", never the words the project uses for its source material internally. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../analyzers/rules/index.js';
import { repoRoot } from '../helpers.js';

/** Internal words and what to say instead; "the seed" alone stays allowed as a random seed only when it is not the source. */
const FORBIDDEN: { words: RegExp; why: string }[] = [
  { words: /\bthe seed\b(?! (?:value|number|of the random|for the random))|\bseed's\b/i, why: 'say "the lesson", or state the fact' },
  { words: /\bthe course\b|\bcourse's\b|\bcourse deck\b/i, why: 'say "the lesson", or state the fact' },
  // Case-sensitive: `grad_fn` and `saturated_frac` are fine.
  { words: /\bD_f\b/, why: "write f′ (the activation's derivative)" },
];

/** Every file under `dir` whose name ends with one of `suffixes`, recursively. */
function filesUnder(dir: string, suffixes: string[]): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(file, suffixes) : suffixes.some((s) => e.name.endsWith(s)) ? [file] : [];
  });
}

/** The files a user reads: shipped docs and rule pages, the schema's hovers, examples, walkthrough, samples, the demo, the README. */
function userFacingFiles(): string[] {
  const at = (...parts: string[]) => path.join(repoRoot, ...parts);
  // decisions.md is for maintainers; diagnosis-eval.md tabulates random seeds.
  const docs = fs.readdirSync(at('docs')).filter((f) => f.endsWith('.md') && f !== 'decisions.md').map((f) => at('docs', f));
  return [
    at('README.md'), at('CHANGELOG.md'), at('package.json'), ...docs,
    ...filesUnder(at('docs', 'rules'), ['.md']),
    ...filesUnder(at('schemas'), ['.json']),
    ...filesUnder(at('examples'), ['.md', '.json', '.py']),
    ...filesUnder(at('media', 'walkthrough'), ['.md']),
    ...filesUnder(at('samples'), ['.py', '.md']),
    // The demo prints to the user.
    ...fs.readdirSync(at('scripts')).filter((f) => /^demo.*\.mjs$/.test(f)).map((f) => at('scripts', f)),
  ];
}

/** `where: the line` for every forbidden word in `text`. */
function offences(text: string, where: string): string[] {
  return text.split('\n').flatMap((line, i) => FORBIDDEN.filter((f) => f.words.test(line)).map((f) => `${where}:${i + 1}: ${f.why}: ${line.trim().slice(0, 100)}`));
}

describe('words users read', () => {
  it('the docs, schema, examples, walkthrough, demo and README never say "the seed", "the course" or D_f', () => {
    const files = userFacingFiles();
    assert.ok(files.length > 40, `found the user-facing files (${files.length})`);
    assert.deepEqual(files.flatMap((file) => offences(fs.readFileSync(file, 'utf8'), path.relative(repoRoot, file))), []);
  });

  it('rule lessons, summaries and names (the hover text) never say them either', () => {
    assert.deepEqual(RULES.flatMap((r) => offences([r.name, r.summary, r.lesson].join('\n'), r.code)), []);
  });

  it('catches the words it forbids', () => {
    assert.equal(offences("the seed's lesson\nthe course: watch all data\nwhen 0 < D_f < 1", 'probe').length, 3);
    assert.deepEqual(offences('grad_fn and saturated_frac; the random seed of the data', 'probe'), []);
  });
});
