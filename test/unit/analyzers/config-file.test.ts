/** `[tool.fitcheck]` in pyproject.toml: discovery, validation, caching and merging with editor settings. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigCache, findProjectConfig, mergeConfig, parseProjectConfig } from '../../../analyzers/config-file.js';
import { resolveConfig, type LintSettings } from '../../../analyzers/config.js';
import { fixturePath, getLinter } from '../helpers.js';

const root = fixturePath('config');
const find = (...parts: string[]) => findProjectConfig(path.join(root, ...parts), root);

describe('findProjectConfig', () => {
  it('reads every documented key from the nearest pyproject.toml, several folders up', () => {
    const found = find('full', 'src', 'models', 'train.py');
    assert.equal(found?.path, path.join(root, 'full', 'pyproject.toml'));
    assert.deepEqual(found.problems, []);
    assert.deepEqual(found.config, {
      select: ['FC1', 'FC301'],
      ignore: ['FC104'],
      severity: { FC401: 'info', FC101: 'off' },
      options: { saturatingDepth: 4, deepNetDepth: 10 },
      maxFileSize: 1_000_000,
    });
  });

  it('gives settings that the linter applies', async () => {
    const config = find('full', 'src', 'models', 'train.py')!.config;
    const text = 'import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 4), nn.Softmax(dim=1))\nloss = nn.CrossEntropyLoss()\n';
    const linter = await getLinter();
    const codes = (c?: LintSettings) => linter.lint(text, c).findings.map((f) => f.code);
    assert.ok(codes().includes('FC101'));
    assert.ok(!codes(config).includes('FC101'), 'FC101 is off in the fixture');
    assert.equal(resolveConfig(config).options.saturatingDepth, 4);
  });

  it('stops at the first pyproject.toml even when it has no [tool.fitcheck], like a project root', () => {
    const found = find('nested', 'sub', 'train.py');
    assert.equal(found?.path, path.join(root, 'nested', 'sub', 'pyproject.toml'));
    assert.deepEqual(found.config, {});
    assert.deepEqual(found.problems, []);
    assert.deepEqual(find('nested', 'other', 'deep', 'train.py')?.config, { select: ['FC3'] });
  });

  it('does not look above stopAt', () => {
    const file = path.join(root, 'nested', 'other', 'deep', 'train.py');
    assert.equal(findProjectConfig(file, path.join(root, 'nested', 'other')), undefined);
    assert.equal(findProjectConfig(file, path.join(root, 'nested'))?.path, path.join(root, 'nested', 'pyproject.toml'));
  });

  it('returns undefined when no folder up to the filesystem root has a pyproject.toml', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-config-'));
    assert.equal(findProjectConfig(path.join(dir, 'train.py'), dir), undefined);
    fs.rmSync(dir, { recursive: true });
  });

  it('keeps the valid keys and reports each wrong one with its line', () => {
    const found = find('mixed', 'train.py')!;
    assert.deepEqual(found.config, { select: ['FC3'], severity: { FC401: 'info' }, maxFileSize: 500_000 });
    assert.deepEqual(found.problems, [
      { line: 5, message: 'select: "E501" is not a Fitcheck rule code or prefix (like "FC301" or "FC3")' },
      { line: 5, message: 'select: "missing-eval-mode" is not a Fitcheck rule code or prefix; use its code "FC501"' },
      { line: 5, message: 'select: no Fitcheck rule has a code starting with "FC9"' },
      { line: 6, message: 'ignore must be a list of rule codes or prefixes, like ["FC1", "FC301"], not "FC303"' },
      { line: 7, message: 'unknown key "saturatingDepth" in [tool.fitcheck]; did you mean "saturating-depth"?' },
      { line: 8, message: 'saturating-depth must be a whole number of at least 1, not "4"' },
      { line: 9, message: 'deep-net-depth must be a whole number of at least 2, not 0' },
      { line: 14, message: 'severity of FC301 must be one of "error", "warning", "info", "hint", "off", not "fatal"' },
      { line: 15, message: 'severity: "FC999" is not a Fitcheck rule code (severity needs a full code, like FC401)' },
      { line: 16, message: 'severity: "double-softmax" is a rule name; use its code "FC101"' },
    ]);
  });

  it('reports invalid TOML with the parser\'s line instead of throwing', () => {
    const found = find('broken', 'train.py')!;
    assert.deepEqual(found.config, {});
    assert.equal(found.problems.length, 1);
    assert.match(found.problems[0]!.message, /^invalid TOML: /);
    assert.equal(found.problems[0]!.line, 3);
  });
});

describe('parseProjectConfig', () => {
  it('accepts inline tables, dotted keys and quoted keys', () => {
    const text = '[tool.fitcheck]\n"max-file-size" = 10\nseverity = { FC201 = "hint" }\n';
    assert.deepEqual(parseProjectConfig(text), { config: { maxFileSize: 10, severity: { FC201: 'hint' } }, problems: [] });
    assert.deepEqual(parseProjectConfig('[tool]\nfitcheck.select = ["FC2"]\n'), { config: { select: ['FC2'] }, problems: [] });
    assert.deepEqual(parseProjectConfig('tool = { fitcheck = { ignore = ["FC2"] } }\n'), { config: { ignore: ['FC2'] }, problems: [] });
  });

  it('reports a [tool.fitcheck] that is not a table, and wrong list entries', () => {
    assert.deepEqual(parseProjectConfig('[[tool.fitcheck]]\nselect = ["FC1"]\n').problems, [{ message: '[tool.fitcheck] must be a table of settings' }]);
    const { config, problems } = parseProjectConfig('[tool.fitcheck]\nignore = ["FC1", 3]\nseverity = "info"\nmax-file-size = 1.5\n');
    assert.deepEqual(config, { ignore: ['FC1'] });
    assert.deepEqual(problems.map((p) => p.line), [2, 3, 4]);
    assert.match(problems[0]!.message, /ignore: 3 is not a rule code/);
    assert.match(problems[1]!.message, /severity must be a table of rule codes/);
  });

  it('treats keys named like object properties as unknown keys', () => {
    const { config, problems } = parseProjectConfig('[tool.fitcheck]\ntoString = 1\nconstructor = 2\n');
    assert.deepEqual(config, {});
    assert.deepEqual(problems.map((p) => [p.line, p.message.split(' in ')[0]]), [[2, 'unknown key "toString"'], [3, 'unknown key "constructor"']]);
  });

  it('ignores files without a [tool.fitcheck] table', () => {
    assert.deepEqual(parseProjectConfig('[tool.black]\nline-length = 88\n'), { config: {}, problems: [] });
  });
});

describe('ConfigCache', () => {
  it('parses a pyproject.toml again only after it changes, and forgets everything on clear', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-config-'));
    const toml = path.join(dir, 'pyproject.toml');
    const file = path.join(dir, 'pkg', 'train.py');
    fs.writeFileSync(toml, '[tool.fitcheck]\nselect = ["FC1"]\n');
    const cache = new ConfigCache();
    const first = cache.get(file, dir);
    assert.deepEqual(first?.config, { select: ['FC1'] });
    assert.equal(cache.get(file, dir), first, 'unchanged file: the cached result');

    fs.writeFileSync(toml, '[tool.fitcheck]\nselect = ["FC2"]\n');
    fs.utimesSync(toml, new Date(), new Date(Date.now() + 5_000));
    assert.deepEqual(cache.get(file, dir)?.config, { select: ['FC2'] });

    const second = cache.get(file, dir);
    cache.clear();
    assert.notEqual(cache.get(file, dir), second);
    assert.deepEqual(cache.get(file, dir)?.config, { select: ['FC2'] });

    fs.rmSync(toml);
    assert.equal(cache.get(file, dir), undefined, 'a deleted file is no longer found');
    fs.rmSync(dir, { recursive: true });
  });

  it('looks for a folder\'s pyproject.toml once in one run, and finds the same file for every module there', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-config-'));
    const nested = path.join(dir, 'pkg');
    fs.mkdirSync(nested);
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.fitcheck]\nselect = ["FC1"]\n');
    const oneRun = new ConfigCache({ oneRun: true });
    const live = new ConfigCache();
    assert.equal(oneRun.get(path.join(nested, 'a.py'), dir)?.path, path.join(dir, 'pyproject.toml'));
    // A pyproject.toml appearing nearer in the middle of a run: the run keeps the one it found first.
    fs.writeFileSync(path.join(nested, 'pyproject.toml'), '[tool.fitcheck]\nselect = ["FC2"]\n');
    assert.deepEqual(oneRun.get(path.join(nested, 'b.py'), dir)?.config, { select: ['FC1'] });
    assert.deepEqual(live.get(path.join(nested, 'b.py'), dir)?.config, { select: ['FC2'] }, 'the server\'s cache looks again');
    oneRun.clear();
    assert.deepEqual(oneRun.get(path.join(nested, 'b.py'), dir)?.config, { select: ['FC2'] }, 'clear forgets the folders');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('mergeConfig', () => {
  it('lets the override win key by key and merges severity and options entry by entry', () => {
    const fromPyproject = find('full', 'src', 'models', 'train.py')!.config;
    const fromEditor: LintSettings = { select: ['FC3'], severity: { FC401: 'hint', FC303: 'off' }, options: { saturatingDepth: 2 } };
    assert.deepEqual(mergeConfig(fromPyproject, fromEditor), {
      select: ['FC3'],
      ignore: ['FC104'],
      severity: { FC101: 'off', FC401: 'hint', FC303: 'off' },
      options: { saturatingDepth: 2, deepNetDepth: 10 },
      maxFileSize: 1_000_000,
    });
  });

  it('keeps the base where the override leaves a key out, and changes neither input', () => {
    const base = { select: ['FC1'], severity: { FC101: 'off' as const } };
    assert.deepEqual(mergeConfig(base, {}), base);
    assert.deepEqual(mergeConfig({}, { ignore: [] }), { ignore: [] });
    mergeConfig(base, { severity: { FC102: 'info' } });
    assert.deepEqual(base.severity, { FC101: 'off' });
  });
});
