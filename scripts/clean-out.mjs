// Removes out/ before the tests are compiled, so a test file deleted or moved from the sources
// cannot keep running from an old compiled copy.
import fs from 'node:fs';

fs.rmSync(new URL('../out/', import.meta.url), { recursive: true, force: true });
