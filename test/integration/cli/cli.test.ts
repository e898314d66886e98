/** The bundled `fitcheck` command, run as a user would run it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../analyzers/rules/index.js';
import { fixturePath, repoRoot } from '../../unit/helpers.js';

const cli = path.join(repoRoot, 'dist', 'cli.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot });
const bad = path.relative(repoRoot, fixturePath('python', 'FC101', 'pos-sequential-softmax-crossentropy.py'));
const clean = path.relative(repoRoot, fixturePath('python', 'FC101', 'neg-logits-crossentropy-softmax-at-eval.py'));

describe('fitcheck lint', () => {
  it('prints findings as file:line:col lines and exits 1 on an error-level finding', () => {
    const result = run('lint', bad);
    assert.equal(result.status, 1);
    assert.match(result.stdout, new RegExp(`${bad.replace(/[.]/g, '\\.')}:13:5: FC101 error`));
    assert.match(result.stdout, /Found 1 problem \(1 error\)/);
  });

  it('exits 0 on a clean file', () => {
    const result = run('lint', clean);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /No problems found in 1 file/);
  });

  it('exits 0 when only warnings are found', () => {
    const result = run('lint', path.relative(repoRoot, fixturePath('python', 'FC201')), '--format', 'json');
    const findings = JSON.parse(result.stdout) as { severity: string }[];
    assert.ok(findings.length > 0 && findings.every((f) => f.severity === 'warning'));
    assert.equal(result.status, 0);
  });

  it('writes the documented JSON shape with 1-based positions', () => {
    const result = run('lint', bad, '--format', 'json');
    const findings = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(findings[0]).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'fixable', 'line', 'message', 'name', 'related', 'severity']);
    assert.equal(findings[0].file, bad.split(path.sep).join('/'));
    assert.deepEqual([findings[0].code, findings[0].name, findings[0].line, findings[0].column], ['FC101', 'double-softmax', 13, 5]);
  });

  it('writes SARIF 2.1.0 with the catalog and relative locations', () => {
    const log = JSON.parse(run('lint', bad, '--format', 'sarif').stdout);
    assert.equal(log.version, '2.1.0');
    const runLog = log.runs[0];
    assert.equal(runLog.tool.driver.name, 'fitcheck');
    assert.ok(runLog.tool.driver.rules.some((r: { id: string }) => r.id === 'FC301'));
    const result = runLog.results[0];
    assert.equal(result.ruleId, 'FC101');
    assert.equal(result.level, 'error');
    assert.equal(runLog.tool.driver.rules[result.ruleIndex].id, 'FC101');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 13);
  });

  it('filters with --select and --ignore', () => {
    const dir = path.relative(repoRoot, fixturePath('python', 'FC401'));
    const selected = JSON.parse(run('lint', dir, '--format', 'json', '--select', 'FC4').stdout) as { code: string }[];
    assert.ok(selected.length > 0 && selected.every((f) => f.code === 'FC401'));
    const ignored = JSON.parse(run('lint', dir, '--format', 'json', '--ignore', 'FC401').stdout) as { code: string }[];
    assert.ok(ignored.every((f) => f.code !== 'FC401'));
  });

  it('exits 2 with a clear message for a missing path, and still lints the rest', () => {
    const result = run('lint', 'no/such/file.py', bad);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read no\/such\/file\.py: no such file or directory/);
    assert.match(result.stdout, /FC101/);
  });

  it('exits 2 on bad usage', () => {
    assert.equal(run('lint').status, 2);
    assert.equal(run('lint', bad, '--format', 'xml').status, 2);
    const badCode = run('lint', bad, '--select', 'E501');
    assert.equal(badCode.status, 2);
    assert.match(badCode.stderr, /not a rule code/);
  });

  it('notes skipped binary and oversized files on stderr without failing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-cli-'));
    fs.writeFileSync(path.join(dir, 'blob.py'), Buffer.from([0, 1, 2, 255, 0]));
    fs.writeFileSync(path.join(dir, 'big.py'), 'x = 1\n'.repeat(2000));
    const result = run('lint', dir, '--max-file-size', '5000');
    assert.equal(result.status, 0);
    assert.match(result.stderr, /skipped .*blob\.py: file looks binary/);
    assert.match(result.stderr, /skipped .*big\.py: file is 12 kB, over the 5 kB limit/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('fitcheck lint on notebooks', () => {
  it('reports the 1-based cell and the line within it', () => {
    const notebook = path.relative(repoRoot, fixturePath('notebooks', 'train.ipynb'));
    const result = run('lint', notebook, '--select', 'FC101', '--format', 'json');
    const [finding] = JSON.parse(result.stdout);
    assert.deepEqual([finding.code, finding.cell, finding.line, finding.column], ['FC101', 3, 5, 5]);
    assert.match(run('lint', notebook, '--select', 'FC101').stdout, /train\.ipynb\[cell 3\]:5:5: FC101/);
  });
});

describe('fitcheck lint on a project folder', () => {
  const project = path.relative(repoRoot, fixturePath('projects', 'softmax-in-package'));

  it('lints the folder as one project: the softmax in the package module is found, the loss in the script related', () => {
    const result = run('lint', project, '--format', 'json');
    assert.equal(result.status, 1);
    const findings = JSON.parse(result.stdout) as { file: string; code: string; line: number; related: { file: string; line: number }[] }[];
    assert.deepEqual(findings.map((f) => [f.file, f.code, f.line]), [[`${project}/mypkg/nets.py`.split(path.sep).join('/'), 'FC101', 12]]);
    assert.deepEqual(findings[0]!.related.map((r) => [r.file, r.line]), [[`${project}/train.py`.split(path.sep).join('/'), 7]]);
  });

  it('gives SARIF results the related locations in other files', () => {
    const sarif = JSON.parse(run('lint', project, '--format', 'sarif').stdout);
    const [result] = sarif.runs[0].results;
    assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, `${project.split(path.sep).join('/')}/train.py`);
  });

  it('finds nothing in the clean multi-module reference project', () => {
    const result = run('lint', path.relative(repoRoot, fixturePath('projects', 'clean-reference')));
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /No problems found in 5 files/);
  });
});

describe('fitcheck lint on a TensorFlow.js project folder', () => {
  const project = path.relative(repoRoot, fixturePath('projects', 'tfjs-softmax-through-barrel'));
  const posix = (p: string) => p.split(path.sep).join('/');

  it('lints the folder as one ts-morph project: the softmax in the model module is found through the barrel, the loss in the script related', () => {
    const result = run('lint', project, '--format', 'json');
    assert.equal(result.status, 1);
    const findings = JSON.parse(result.stdout) as { file: string; code: string; line: number; related: { file: string; line: number }[] }[];
    assert.deepEqual(findings.map((f) => [f.file, f.code, f.line]), [[posix(`${project}/src/models/classifier.ts`), 'FC101', 9]]);
    assert.deepEqual(findings[0]!.related.map((r) => [r.file, r.line]), [[posix(`${project}/src/train.ts`), 6]]);
  });

  it('gives SARIF results the related locations in the other module', () => {
    const [result] = JSON.parse(run('lint', project, '--format', 'sarif').stdout).runs[0].results;
    assert.equal(result.relatedLocations[0].physicalLocation.artifactLocation.uri, posix(`${project}/src/train.ts`));
  });

  it('follows the imports of a file named alone to the model module on disk, and reports only the file asked about', () => {
    const result = run('lint', `${project}/src/train.ts`, '--format', 'json');
    assert.equal(result.status, 0, result.stdout);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });

  it('finds nothing in the clean multi-module TensorFlow.js reference project', () => {
    const result = run('lint', path.relative(repoRoot, fixturePath('projects', 'tfjs-clean-reference')));
    assert.equal(result.status, 0, result.stdout);
    assert.match(result.stdout, /No problems found in 4 files/);
  });
});

describe('fitcheck lint on run specs', () => {
  it('reports an invalid spec as FC001 errors at their places and exits 1', () => {
    const spec = path.relative(repoRoot, fixturePath('runspecs', 'invalid-values.fitrun.json'));
    const result = run('lint', spec, '--format', 'json');
    assert.equal(result.status, 1);
    const findings = JSON.parse(result.stdout) as { code: string; line: number; message: string }[];
    assert.ok(findings.length >= 2 && findings.every((f) => f.code === 'FC001'));
    assert.ok(findings.some((f) => f.line === 5 && /did you mean 'sigmoid'/.test(f.message)));
  });

  it('lints a valid spec with the rules and finds specs in folders', () => {
    const findings = JSON.parse(run('lint', 'examples/runs', '--format', 'json').stdout) as { file: string; code: string }[];
    assert.ok(findings.some((f) => f.file.endsWith('deep-sigmoid.fitrun.json') && f.code === 'FC201'));
    assert.ok(!findings.some((f) => f.file.endsWith('deep-relu.fitrun.json')));
  });
});

describe('fitcheck lint --fix', () => {
  it('applies the safe fixes, writes the file, and lists the behaviour-changing fixes it left alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-fix-'));
    const file = path.join(dir, 'train.py');
    fs.copyFileSync(path.join(repoRoot, 'examples', 'pytorch', 'mnist_bad.py'), file);
    const before = JSON.parse(run('lint', file, '--format', 'json').stdout) as { code: string; fixable: boolean }[];
    assert.ok(before.some((f) => f.code === 'FC504') && before.some((f) => f.code === 'FC301'), 'the example has a safe (FC504) and an unsafe (FC301) fix');
    const result = run('lint', file, '--fix', '--format', 'json');
    assert.match(result.stderr, /fixed \d+ problems? in/);
    assert.match(result.stderr, /not fixed .*train\.py:\d+: FC301 .*\(changes training behaviour; apply it as a quick fix in the editor\)/);
    const after = JSON.parse(result.stdout) as { code: string; fixable: boolean }[];
    assert.ok(after.length < before.length, 'fewer findings after --fix');
    assert.ok(!after.some((f) => f.code === 'FC504'), 'FC504 (loss.item()) was fixed');
    assert.ok(after.some((f) => f.code === 'FC301'), 'FC301 (adding zero_grad changes training) was left for the user');
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /zero_grad\(\)/, 'no zero_grad() was written');
    const again = JSON.parse(run('lint', file, '--format', 'json').stdout);
    assert.deepEqual(again, after, 'the fixes were written to disk');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('fitcheck rules', () => {
  it('lists every rule of the catalog as JSON with code, name, severity, fixable and summary', () => {
    const rules = JSON.parse(run('rules', '--format', 'json').stdout);
    assert.deepEqual(rules.map((r: { code: string }) => r.code), RULES.map((r) => r.code));
    assert.deepEqual(Object.keys(rules[0]).sort(), ['code', 'fixable', 'name', 'severity', 'summary']);
    assert.deepEqual(rules.map((r: { code: string }) => r.code).slice(0, 3), ['FC101', 'FC102', 'FC103']);
  });

  it('has a documentation page for every rule', () => {
    const rules = JSON.parse(run('rules', '--format', 'json').stdout) as { code: string; name: string }[];
    for (const rule of rules) {
      const page = fs.readFileSync(path.join(repoRoot, 'docs', 'rules', `${rule.code}.md`), 'utf8');
      assert.match(page, new RegExp(`^# ${rule.code} ${rule.name}`), `${rule.code}.md starts with its code and name`);
    }
  });
});
