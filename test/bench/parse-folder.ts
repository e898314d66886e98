/**
 * The bare-parse peer of `npm run bench:lint:package`, run as its own process: parses every .py file
 * under a folder with the parser Fitcheck's CLI uses (web-tree-sitter + tree-sitter-python) and does
 * nothing else. Prints one JSON line: files, lines, parse milliseconds (excluding process start).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PythonParser } from '../../analyzers/python/parser.js';

/** Every .py file under `dir`, sorted. */
export function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pythonFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.py')) out.push(full);
  }
  return out.sort();
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: parse-folder.js <folder>');
  const parser = await PythonParser.create();
  const started = performance.now();
  let lines = 0;
  const files = pythonFiles(dir);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    lines += text.split('\n').length;
    parser.parse(text).delete();
  }
  console.log(JSON.stringify({ files: files.length, lines, ms: performance.now() - started }));
}
