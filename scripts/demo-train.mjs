// The training half of the demo: train the bias/variance lessons' experiments with the bundled CLI
// (`node esbuild.mjs` first) and print each diagnosis next to the one the experiment expects.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const examples = [
  'hours-straight-line',
  'hours-polynomial-overfit',
  'hours-polynomial-l2',
  'hours-polynomial-dropout',
  'hours-polynomial-early-stopping',
];
const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-demo-runs-'));
const titles = { 'high-bias': 'high bias', 'high-variance': 'high variance', 'high-bias-and-variance': 'high bias and variance', 'good-fit': 'good fit' };

console.log('Fitcheck demo: training the bias/variance experiments of the lessons (examples/runs/)\n');
let failures = 0;
for (const name of examples) {
  const file = path.join('examples', 'runs', `${name}.fitrun.json`);
  const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
  const started = Date.now();
  const result = spawnSync(process.execPath, ['dist/cli.mjs', 'train', file, '--json', '--runs-dir', runsDir], { encoding: 'utf8' });
  const end = result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((e) => e.type === 'end');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${name}  (${seconds} s)`);
  console.log(`  ${spec.description}`);
  if (!end || end.status !== 'completed' || !end.diagnosis) {
    failures++;
    console.log(`  ✗ the run did not complete: ${end?.error ?? result.stderr.trim() ?? `exit ${result.status}`}\n`);
    continue;
  }
  const { diagnosis } = end;
  const matches = diagnosis.regime === spec.expect?.regime;
  if (!matches) failures++;
  console.log(`  ${diagnosis.summary} (epoch ${diagnosis.epoch}${end.restoredBest ? ', restored best' : ''})`);
  if (end.insights?.length) console.log(`  insights: ${end.insights.join(', ')}`);
  if (diagnosis.remedies.length) console.log(`  what to do: ${diagnosis.remedies[0]}`);
  console.log(`  ${matches ? '✓' : '✗'} expected ${titles[spec.expect?.regime] ?? 'no regime'}\n`);
}
console.log(`Runs (events.jsonl + spec.json) are in ${runsDir}; \`node dist/cli.mjs train <spec>\` trains any of examples/runs/.`);
process.exit(failures === 0 ? 0 : 1);
