/** Paths for the trainer and metrics tests (compiled tests run from `out/test/unit/trainer`). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** A file under `test/fixtures/runspecs/`. */
export function runspecFixture(name: string): string {
  return path.join(repoRoot, 'test', 'fixtures', 'runspecs', name);
}

/** The example experiments' folder. */
export const examplesDir = path.join(repoRoot, 'examples', 'runs');
