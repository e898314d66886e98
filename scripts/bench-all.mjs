/**
 * `npm run bench`: every benchmark in turn. One that refuses a noisy run (or fails) does not stop the
 * others; the summary at the end names them, and the exit code is 1 when any did not record.
 */
import { spawnSync } from 'node:child_process';

const BENCHES = ['bench:lint', 'bench:lint:package', 'bench:train', 'bench:panel', 'bench:readers', 'bench:activation', 'bench:watch', 'bench:monitor'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const failed = [];
for (const bench of BENCHES) {
  console.error(`\n=== npm run ${bench}`);
  const run = spawnSync(npm, ['run', bench], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(`${bench} (${run.signal ?? `exit ${run.status}`})`);
}
console.error(failed.length === 0
  ? `\nAll ${BENCHES.length} benchmarks recorded.`
  : `\n${BENCHES.length - failed.length} of ${BENCHES.length} benchmarks recorded; not recorded: ${failed.join(', ')} (see their output above).`);
process.exitCode = failed.length === 0 ? 0 : 1;
