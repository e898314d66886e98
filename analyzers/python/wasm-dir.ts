/** Finds the folder holding the tree-sitter wasm files next to a bundle, if there is one. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundle's own folder when the wasm files were copied there; undefined when running from source. */
export function bundledWasmDir(moduleUrl: string): string | undefined {
  const dir = path.dirname(fileURLToPath(moduleUrl));
  return fs.existsSync(path.join(dir, 'tree-sitter-python.wasm')) ? dir : undefined;
}
