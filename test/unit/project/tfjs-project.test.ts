/**
 * TensorFlow.js projects: each `tfjs-*` folder under test/fixtures/projects/ is linted as one ts-morph
 * project; every module's `// expect:` annotations must match the findings that sit in it, whichever
 * module's analysis found them. Resolution (barrels, aliases, namespace and default imports, tsconfig)
 * and the incremental update of an edited module are tested on the same real files.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { addUnique, type ProjectFinding } from '../../../analyzers/project/project-linter.js';
import { TfjsProject } from '../../../analyzers/project/tfjs-project.js';
import { actualFindings, fixturePath, getLinter } from '../helpers.js';

const projectsDir = fixturePath('projects');
const SCRIPT = /\.[mc]?[jt]sx?$/;

/** Every script file under a folder. */
function scriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && SCRIPT.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** `CODE@line` for each `// expect: CODE` annotation. */
function expectedScriptFindings(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const match = /\/\/\s*expect:\s*([A-Z0-9,\s]+)/.exec(line);
    for (const code of match?.[1]!.split(',').map((c) => c.trim()).filter(Boolean) ?? []) out.push(`${code}@${i + 1}`);
  });
  return out.sort();
}

/** Lints every module of a folder as one project; findings by the file they sit in. */
async function lintFolder(root: string, read: (file: string) => string | undefined = (f) => fs.readFileSync(f, 'utf8')): Promise<{ project: TfjsProject; byFile: Map<string, ProjectFinding[]> }> {
  const project = new TfjsProject(await getLinter(), [root], read);
  const byFile = new Map<string, ProjectFinding[]>();
  for (const file of scriptFiles(root)) for (const finding of project.lintModule(file).findings) addUnique(byFile, finding);
  return { project, byFile };
}

for (const name of fs.readdirSync(projectsDir).filter((n) => n.startsWith('tfjs-')).sort()) {
  test(`the ${name} TensorFlow.js project's findings sit where its modules' annotations say`, async () => {
    const root = path.join(projectsDir, name);
    const { byFile } = await lintFolder(root);
    for (const file of scriptFiles(root)) {
      const found = byFile.get(file) ?? [];
      assert.deepEqual(actualFindings(found), expectedScriptFindings(fs.readFileSync(file, 'utf8')), `${path.relative(root, file)}: ${JSON.stringify(found.map((f) => f.message))}`);
    }
  });
}

test('a softmax in a model module reached through a barrel points to the loss in the script that imports it', async () => {
  const root = path.join(projectsDir, 'tfjs-softmax-through-barrel');
  const { byFile } = await lintFolder(root);
  const [finding] = byFile.get(path.join(root, 'src', 'models', 'classifier.ts')) ?? [];
  assert.equal(finding?.code, 'FC101');
  assert.equal(finding.span.start.character, fs.readFileSync(path.join(root, 'src', 'models', 'classifier.ts'), 'utf8').split('\n')[8]!.indexOf("activation: 'softmax'"));
  assert.deepEqual(finding.related.map((r) => [r.file, r.span.start.line + 1]), [[path.join(root, 'src', 'train.ts'), 6]]);
});

test('the same TensorFlow.js modules linted one by one miss what crosses module boundaries', async () => {
  const linter = await getLinter();
  for (const file of [...scriptFiles(path.join(projectsDir, 'tfjs-softmax-through-barrel')), ...scriptFiles(path.join(projectsDir, 'tfjs-namespace-custom-loop')), ...scriptFiles(path.join(projectsDir, 'tfjs-commonjs'))]) {
    assert.deepEqual(linter.lintScript(fs.readFileSync(file, 'utf8'), {}, 'typescript').findings.filter((f) => f.code === 'FC101' || f.code === 'FC105'), [], file);
  }
});

test('a namespace import rewritten to the copied declaration keeps the columns of the findings after it', async () => {
  const root = path.join(projectsDir, 'tfjs-namespace-custom-loop');
  const { project } = await lintFolder(root);
  const train = path.join(root, 'train.mjs');
  const result = project.lintModule(train);
  assert.deepEqual([...result.dependencies].map((f) => path.relative(root, f)).sort(), ['losses.mjs', path.join('models', 'mlp.mjs')]);
  const line = fs.readFileSync(train, 'utf8').split('\n')[10]!;
  const read = result.findings.find((f) => f.code === 'FC602');
  assert.deepEqual([read?.file, read?.span.start.line, read?.span.start.character, read?.span.end.character],
    [train, 10, line.indexOf('tf.tidy'), line.indexOf('.dataSync()') + '.dataSync()'.length]);
  const softmax = result.findings.find((f) => f.code === 'FC101');
  assert.deepEqual(softmax?.related.map((r) => path.relative(root, r.file ?? train)), ['losses.mjs']);
});

test('only the modules that import an edited declaration are analysed again, and the edit reaches them', async () => {
  const root = path.join(projectsDir, 'tfjs-softmax-through-barrel');
  const texts = new Map(scriptFiles(root).map((f) => [f, fs.readFileSync(f, 'utf8')]));
  const { project } = await lintFolder(root, (file) => texts.get(file));
  const classifier = path.join(root, 'src', 'models', 'classifier.ts');
  const train = path.join(root, 'src', 'train.ts');
  const index = path.join(root, 'src', 'models', 'index.ts');
  assert.deepEqual(project.dependentsOf(classifier), [train]);
  const barrelBefore = project.lintModule(index);
  const trainBefore = project.lintModule(train);
  assert.deepEqual(trainBefore.findings.map((f) => f.code), ['FC101']);
  const before = project.fileCount();
  project.setText(classifier, texts.get(classifier)!.replace("activation: 'softmax' }", '}'));
  assert.equal(project.fileCount(), before, 'the edited file is replaced in the project, not added again');
  assert.deepEqual(project.lintModule(index).findings, barrelBefore.findings, 'the barrel does not import tfjs: nothing to analyse');
  const trainAfter = project.lintModule(train);
  assert.notEqual(trainAfter, trainBefore);
  assert.deepEqual(trainAfter.findings.map((f) => f.code), []);
});

test('CommonJS requires are followed: destructured, whole-module members and a module whose export is one function', async () => {
  const root = path.join(projectsDir, 'tfjs-commonjs');
  const { project } = await lintFolder(root);
  const models = path.join(root, 'lib', 'models.js');
  const deep = path.join(root, 'lib', 'deep.js');
  assert.deepEqual(project.dependentsOf(deep), [path.join(root, 'train-namespace.js')]);
  assert.deepEqual(project.dependentsOf(models).sort(), [path.join(root, 'train-namespace.js'), path.join(root, 'train.js')]);
  const mismatch = project.lintModule(path.join(root, 'train-namespace.js')).findings.find((f) => f.code === 'FC105');
  assert.deepEqual(mismatch?.related.map((r) => path.relative(root, r.file ?? '')), [path.join('lib', 'deep.js')], 'the model the loss is wrong for is the required one');
});

/** Writes a throwaway project under the system's temp folder. */
function writeProject(name: string, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `fitcheck-${name}-`));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const SOFTMAX_MODEL = "import * as tf from '@tensorflow/tfjs';\nexport function build() {\n  const m = tf.sequential();\n  m.add(tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' }));\n  return m;\n}\n";
const trainWith = (importLine: string, call: string) => `import * as tf from '@tensorflow/tfjs';\n${importLine}\nconst model = ${call};\nmodel.compile({ optimizer: 'adam', loss: tf.losses.softmaxCrossEntropy });\nawait model.fit(tf.zeros([8, 4]), tf.zeros([8, 3]), { epochs: 2, validationSplit: 0.2 });\n`;

test('imports resolve through tsconfig paths, default exports, export-star barrels and .js specifiers of .ts files', async () => {
  const root = writeProject('tfjs-resolution', {
    'tsconfig.json': '{ "compilerOptions": { "module": "ESNext", "moduleResolution": "Bundler", "baseUrl": ".", "paths": { "@nets/*": ["lib/nets/*"] } } }',
    'lib/nets/softmax.ts': SOFTMAX_MODEL,
    'lib/nets/default.ts': SOFTMAX_MODEL.replace('export function build', 'export default function build'),
    'lib/all.ts': "export * from './nets/softmax.js';\n",
    'paths.ts': trainWith("import { build } from '@nets/softmax';", 'build()'),
    'default.ts': trainWith("import make from './lib/nets/default.js';", 'make()'),
    'star.ts': trainWith("import { build } from './lib/all.js';", 'build()'),
  });
  const project = new TfjsProject(await getLinter(), [root], (f) => fs.readFileSync(f, 'utf8'));
  for (const [script, model] of [['paths.ts', 'softmax.ts'], ['default.ts', 'default.ts'], ['star.ts', 'softmax.ts']] as const) {
    const result = project.lintModule(path.join(root, script));
    assert.deepEqual(result.findings.map((f) => [f.code, path.relative(root, f.file), f.span.start.line]), [['FC101', path.join('lib', 'nets', model), 3]], script);
  }
  fs.rmSync(root, { recursive: true, force: true });
});

test('files that do not import tfjs, and are not imported by one that does, are never parsed', async () => {
  const root = writeProject('tfjs-lazy', {
    'model.ts': SOFTMAX_MODEL,
    'train.ts': trainWith("import { build } from './model';", 'build()'),
    'server.ts': "import { helper } from './util';\nexport const port = helper(8080);\n",
    'util.ts': 'export function helper(x: number) { return x; }\n',
    'alone.ts': "import * as tf from '@tensorflow/tfjs';\nexport const t = tf.zeros([2]);\n",
  });
  const project = new TfjsProject(await getLinter(), [root], (f) => fs.readFileSync(f, 'utf8'));
  for (const name of ['server.ts', 'util.ts', 'alone.ts']) assert.deepEqual(project.lintModule(path.join(root, name)).parsed, name === 'alone.ts');
  assert.equal(project.fileCount(), 0, 'a tfjs module that imports no project file is linted without building the project');
  project.lintModule(path.join(root, 'train.ts'));
  assert.deepEqual(project.fileCount(), 2, 'train.ts and the model it imports');
  fs.rmSync(root, { recursive: true, force: true });
});

test('modules that import each other in a cycle, or do not parse, are linted without error', async () => {
  const root = writeProject('tfjs-cycle', {
    'a.ts': "import * as tf from '@tensorflow/tfjs';\nimport { b } from './b';\nexport function a() { return b(); }\nconst m = a();\nm.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });\n",
    'b.ts': "import * as tf from '@tensorflow/tfjs';\nimport { a } from './a';\nexport * from './b';\nexport function b() { return a() ?? tf.sequential(); }\n",
    'broken.ts': "import * as tf from '@tensorflow/tfjs';\nimport { a } from './a'\nfunction (( {\n  const = tf.sequential(\n",
  });
  const project = new TfjsProject(await getLinter(), [root], (f) => fs.readFileSync(f, 'utf8'));
  for (const name of ['a.ts', 'b.ts', 'broken.ts']) {
    const result = project.lintModule(path.join(root, name));
    assert.equal(result.skipped, undefined, name);
    assert.ok(result.findings.every((f) => f.file.startsWith(root)), name);
  }
  fs.rmSync(root, { recursive: true, force: true });
});

test('a TensorFlow.js finding that rests on its own file alone is reported by that file\'s analysis, not by a module that imports its code', async () => {
  const root = path.join(projectsDir, 'tfjs-own-file-findings');
  const project = new TfjsProject(await getLinter(), [root], (f) => fs.readFileSync(f, 'utf8'));
  const model = path.join(root, 'model.ts');
  const train = project.lintModule(path.join(root, 'train.ts'));
  assert.ok(train.dependencies.has(model), 'train.ts is linked with buildRegressor');
  assert.deepEqual(train.findings.filter((f) => f.file === model).map((f) => f.code), []);
  assert.deepEqual(project.lintModule(model).findings.map((f) => f.code), ['FC204']);
});
