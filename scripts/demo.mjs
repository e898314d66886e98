// The demo: lint the bundled examples with the freshly built CLI and say what was found.
import { spawnSync } from 'node:child_process';

const run = (args) => spawnSync(process.execPath, ['dist/cli.mjs', ...args], { encoding: 'utf8' });

console.log('Fitcheck demo: linting examples/ (PyTorch and Keras training scripts)\n');
const text = run(['lint', 'examples', ...(process.stdout.isTTY ? [] : ['--no-color'])]);
process.stdout.write(text.stdout);
process.stderr.write(text.stderr);
if (text.status === 2 || text.status === null) {
  console.error('\nThe demo could not lint the examples (see the message above).');
  process.exit(1);
}

const findings = JSON.parse(run(['lint', 'examples', '--format', 'json']).stdout);
const byFile = new Map();
for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f.code]);
console.log('\nSummary:');
for (const [file, codes] of byFile) console.log(`  ${file}: ${codes.join(', ')}`);
const clean = findings.filter((f) => f.file.includes('_clean'));
console.log(clean.length === 0
  ? '  The *_clean.py examples have no findings.'
  : `  Unexpected: ${clean.length} finding(s) in the clean examples.`);
console.log('\nEach code has a page under docs/rules/ (e.g. docs/rules/FC101.md); `node dist/cli.mjs rules` lists the catalog.');
process.exit(clean.length === 0 ? 0 : 1);
