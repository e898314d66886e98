// The demo, part three: read runs logged by other tools (examples/logs) and diagnose them,
// as `fitcheck watch` does for your own TensorBoard logs, CSV files or Python-helper JSONL.
import { spawnSync } from 'node:child_process';

console.log('\nFitcheck demo: diagnosing runs logged elsewhere (examples/logs: a Keras CSVLogger file, a run written by fitcheck_logger.py)\n');
const text = spawnSync(process.execPath, ['dist/cli.mjs', 'watch', '--once', 'examples/logs'], { encoding: 'utf8' });
process.stdout.write(text.stdout);
process.stderr.write(text.stderr);
const json = spawnSync(process.execPath, ['dist/cli.mjs', 'watch', '--once', '--json', 'examples/logs'], { encoding: 'utf8' });
const runs = json.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
const wrong = runs.filter((r) => r.diagnosis?.regime !== 'high-variance');
console.log(runs.length === 2 && wrong.length === 0
  ? `\n  ✓ both runs diagnosed as high variance, as their curves show (training error near 0, validation error far above ε).`
  : `\n  Unexpected: ${JSON.stringify(runs.map((r) => [r.name, r.diagnosis?.regime]))}`);
console.log('  Follow a run live while it trains: `node dist/cli.mjs watch <log folder>`, or *Fitcheck: Watch Run…* in VS Code.');
process.exit(text.status === 0 && runs.length === 2 && wrong.length === 0 ? 0 : 1);
