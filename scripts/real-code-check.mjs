// Real-code check: lints public training code file by file ("before": no project model) and folder by
// folder as projects ("after"), and prints the findings per rule side by side, so a rule or model change
// shows its effect on real code. Nothing fetched is ever written into the repository.
//
//   node scripts/real-code-check.mjs                 # the pinned local corpus (Debian python3-torch 1.13)
//   node scripts/real-code-check.mjs --clone         # also the pinned repositories, cloned into /tmp
//   node scripts/real-code-check.mjs DIR...          # folders of your own
//
// Needs `npm run build` and `tsc -p .` first (it uses out/ and dist/).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { Linter } = await import(path.join(root, 'out/analyzers/linter.js'));
const { ProjectLinter } = await import(path.join(root, 'out/analyzers/project/project-linter.js'));

/** Real code on this machine, pinned by the Debian package's version (python3-torch 1.13). */
const LOCAL = [
  '/usr/lib/python3/dist-packages/torch/utils/benchmark/examples',
  '/usr/lib/python3/dist-packages/torch/testing/_internal/distributed/rpc/examples',
  '/usr/lib/python3/dist-packages/torch/ao/pruning',
  '/usr/lib/python3/dist-packages/torch/nn/modules',
];
/** Public training repositories (clone needs github.com): shallow clones of the default branch; the commit is printed so a run can be repeated. */
const REPOS = [
  ['https://github.com/pytorch/examples', 'mnist imagenet word_language_model dcgan'],
  ['https://github.com/keras-team/keras-io', 'examples/vision'],
  ['https://github.com/rasbt/LLMs-from-scratch', 'ch05'],
];

const args = process.argv.slice(2);
// Absolute paths: the project model resolves imports between absolute file names.
const folders = args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));
if (folders.length === 0) folders.push(...LOCAL.filter((d) => fs.existsSync(d)));
if (args.includes('--clone')) {
  for (const [url, subdirs] of REPOS) {
    const dir = path.join('/tmp', `fitcheck-real-${path.basename(url)}`);
    if (!fs.existsSync(dir)) {
      const clone = spawnSync('git', ['clone', '--depth', '1', url, dir], { stdio: 'inherit' });
      if (clone.status !== 0) { console.error(`could not clone ${url}; skipped`); continue; }
    }
    const head = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
    console.log(`${url} at ${head}`);
    for (const sub of subdirs.split(' ')) folders.push(path.join(dir, sub));
  }
}

const pythonFiles = (dir) => fs.readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.py') && !e.parentPath.includes('__pycache__'))
  .map((e) => path.join(e.parentPath, e.name));

const linter = await Linter.create();
const before = new Map();
const after = new Map();
const count = (map, code) => map.set(code, (map.get(code) ?? 0) + 1);
let files = 0;
let lines = 0;
const changes = [];
for (const folder of folders) {
  const list = pythonFiles(folder);
  files += list.length;
  const texts = new Map(list.map((f) => [f, fs.readFileSync(f, 'utf8')]));
  for (const text of texts.values()) lines += text.split('\n').length;
  const single = new Set();
  for (const [file, text] of texts) {
    for (const f of linter.lint(text).findings) {
      count(before, f.code);
      single.add(`${file}:${f.span.start.line + 1} ${f.code}`);
    }
  }
  const project = new ProjectLinter(linter, [folder], (f) => texts.get(f));
  project.addFiles(list);
  const projected = new Set();
  for (const [file, findings] of project.lintAll().byFile) {
    for (const f of findings) {
      count(after, f.code);
      projected.add(`${file}:${f.span.start.line + 1} ${f.code}`);
    }
  }
  project.dispose();
  for (const key of projected) if (!single.has(key)) changes.push(`+ ${key}`);
  for (const key of single) if (!projected.has(key)) changes.push(`- ${key}`);
}
console.log(`${folders.length} folders, ${files} files, ${lines} lines`);
console.log('rule    file-by-file  as-projects');
for (const code of [...new Set([...before.keys(), ...after.keys()])].sort()) {
  console.log(`${code.padEnd(8)}${String(before.get(code) ?? 0).padStart(12)}${String(after.get(code) ?? 0).padStart(13)}`);
}
console.log(changes.length ? `changed findings (+ only as projects, - only file by file):\n${changes.join('\n')}` : 'no finding changed');
