/**
 * Modules parsed by one thread and taken over by another (the lint workers' shared parsing): the copy
 * read from shared rows is the same tree, and a project that takes every module over lints the same
 * findings without parsing any module again.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Linter } from '../../../analyzers/linter.js';
import { ProjectLinter, type SharedModule } from '../../../analyzers/project/project-linter.js';
import { editedPieces, mirrorDeeperThan, parseToShared, shareTree, treeFromShared, type SharedRows, type SyntaxNode } from '../../../analyzers/python/syntax-tree.js';
import { PythonParser } from '../../../analyzers/python/parser.js';
import { fixturePath, getLinter } from '../helpers.js';

/** Fields whose children {@link shape} names. */
const FIELDS = ['name', 'body', 'left', 'right', 'function', 'arguments', 'object', 'attribute'];

/** Every node of a tree in pre-order: type, the field it fills, its span and its parent's. */
function shape(node: SyntaxNode, field = ''): string[] {
  const parent = node.parent ? `${node.parent.startIndex}-${node.parent.endIndex}` : 'root';
  const children = node.children.map((child) => shape(child, FIELDS.find((f) => node.childForFieldName(f)?.id === child.id)));
  return [`${node.type}:${field}:${node.startIndex}-${node.endIndex}:${parent}`, ...children.flat()];
}

/** Every `.py` file under a folder, sorted. */
function pythonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.py'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A fixture project's modules and their texts. */
function fixtureProject(name: string) {
  const root = fixturePath('projects', name);
  const files = pythonFiles(root);
  const texts = new Map(files.map((file) => [file, fs.readFileSync(file, 'utf8')]));
  return { root, files, texts, read: (file: string) => texts.get(file) };
}

/** What `work` returns, and the modules (by their texts) the linter parsed while it ran, in order. */
function parsesDuring<T>(linter: Linter, texts: ReadonlyMap<string, string>, work: () => T): { result: T; parsed: string[] } {
  const fileOf = new Map([...texts].map(([file, text]) => [text, file]));
  const parsed: string[] = [];
  const parse = linter.parsePython;
  linter.parsePython = (text: string) => {
    const file = fileOf.get(text);
    if (file) parsed.push(file);
    return parse.call(linter, text);
  };
  try {
    return { result: work(), parsed };
  } finally {
    linter.parsePython = parse;
  }
}

/** The ids of every node of a tree. */
function ids(node: SyntaxNode): number[] {
  return [node.id, ...node.children.flatMap(ids)];
}

test('a copy read from shared rows is the same tree as the copy that was shared, with node ids of its own', async () => {
  const linter = await getLinter();
  const text = fs.readFileSync(fixturePath('python', 'FC101', 'pos-sequential-softmax-crossentropy.py'), 'utf8');
  const copy = linter.parsePython(text);
  const shared = shareTree(copy);
  assert.ok(shared.buffer instanceof SharedArrayBuffer, 'the rows are in shared memory');
  const adopted = treeFromShared(shared, text, linter.parsePython(''));
  assert.equal(adopted.text, text);
  assert.deepEqual(shape(adopted.root), shape(copy.root));
  assert.ok(shape(copy.root).length > 100, 'the fixture has a tree worth comparing');
  const own = new Set(ids(copy.root));
  assert.ok(ids(adopted.root).every((id) => !own.has(id)), 'no node id of the shared copy is reused');
});

test('a copy read from shared rows keeps every row of the shared copy, error flags included', async () => {
  const linter = await getLinter();
  const broken = 'import torch\ndef train(model:\n    model.fit(\nx = [1, 2\nclass Net(torch.nn.Module):\n    pass\n';
  const copy = linter.parsePython(broken);
  const adopted = treeFromShared(shareTree(copy), broken, linter.parsePython(''));
  assert.deepEqual(shape(adopted.root), shape(copy.root));
  assert.ok(shape(copy.root).some((row) => row.startsWith('ERROR')), 'the text has a syntax error');
  // A copy whose rows are flagged as holding an error is never cut into pieces for a linked program.
  const pieces = (mirror: typeof copy) => editedPieces(mirror, [], mirror.text, 0, (text) => linter.parsePython(text));
  assert.equal(pieces(copy), undefined);
  assert.equal(pieces(adopted), undefined, 'the error flags came across');
  const clean = 'import torch\nx = 1\n';
  assert.notEqual(pieces(treeFromShared(shareTree(linter.parsePython(clean)), clean, linter.parsePython(''))), undefined, 'a copy without errors is cut into pieces');
});

test('a copy read from shared rows keeps how deep each statement nests', async () => {
  const linter = await getLinter();
  const deep = `x = ${'('.repeat(40)}1${')'.repeat(40)}\ny = 2\n`;
  const copy = linter.parsePython(deep);
  const adopted = treeFromShared(shareTree(copy), deep, linter.parsePython(''));
  assert.equal(mirrorDeeperThan(copy, 30), true);
  assert.equal(mirrorDeeperThan(adopted, 30), true);
  assert.equal(mirrorDeeperThan(adopted, 60), false);
});

test('a project that takes over every module another parsed lints the same findings without parsing a module again', async () => {
  const linter = await getLinter();
  const { root, files, texts, read } = fixtureProject('softmax-in-package');
  const parsing = new ProjectLinter(linter, [root], read, true);
  parsing.addFiles(files);
  const shared = files.map((file) => parsing.share(file)).filter((s): s is SharedModule => s !== undefined);
  assert.equal(shared.length, files.length);

  const expected = new ProjectLinter(linter, [root], read, true);
  expected.addFiles(files);
  const { byFile: want } = expected.lintAll();
  assert.ok([...want.values()].flat().length > 0, 'the project has findings to compare');

  const adopting = new ProjectLinter(linter, [root], read, true);
  adopting.addFiles(files);
  for (const file of files) adopting.setText(file, texts.get(file)!);
  for (const module of shared) adopting.adopt(module);
  const { result: { byFile: got }, parsed } = parsesDuring(linter, texts, () => adopting.lintAll());
  assert.deepEqual(got, want);
  assert.deepEqual(parsed.map((file) => path.relative(root, file)), [], 'no module was parsed again');
  for (const project of [parsing, expected, adopting]) project.dispose();
});

test('copies taken over from other threads are kept past the bound on kept copies; the project\'s own are not', async () => {
  const linter = await getLinter();
  const { root, files, texts, read } = fixtureProject('softmax-in-package');
  const sharer = new ProjectLinter(linter, [root], read, true);
  const shared = files.map((file) => sharer.share(file)!);
  /** Modules parsed while a project (kept copies bounded to 10 characters) lints them all. */
  const parsedModules = (adopt: boolean): number => {
    const project = new ProjectLinter(linter, [root], read, true, 10);
    project.addFiles(files);
    for (const file of files) project.setText(file, texts.get(file)!);
    if (adopt) for (const module of shared) project.adopt(module);
    try {
      return parsesDuring(linter, texts, () => project.lintAll()).parsed.length;
    } finally {
      project.dispose();
    }
  };
  assert.equal(parsedModules(true), 0, 'taken-over copies are all kept');
  assert.ok(parsedModules(false) > files.length, 'a module parsed by the project itself is parsed again once its copy is dropped');
  sharer.dispose();
});

test('a project holding another text for a module does not take over the copy shared for it, even one as long', async () => {
  const linter = await getLinter();
  const file = '/project/train.py';
  const own = 'import torch\nmodel = torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Softmax(dim=1))\nloss_fn = torch.nn.CrossEntropyLoss()\nloss = loss_fn(model(x), y)\n';
  // One comment line as long as the module: a copy of it read over the module's text would hide every statement.
  const sharer = new ProjectLinter(linter, ['/project'], () => `#${'x'.repeat(own.length - 2)}\n`, true);
  const shared = sharer.share(file)!;
  const holder = new ProjectLinter(linter, ['/project'], () => undefined, true);
  holder.setText(file, own);
  holder.adopt(shared);
  const findings = holder.lintModule(file).findings.map((f) => f.code);
  assert.ok(findings.includes('FC101'), `its own text is analysed (found ${findings.join(', ') || 'nothing'})`);
  for (const project of [sharer, holder]) project.dispose();
});

test('a module read again from an unchanged disk keeps the copy taken over for it; one changed on disk is analysed as it is now', async () => {
  const linter = await getLinter();
  const { root, files, texts } = fixtureProject('softmax-in-package');
  const disk = new Map(texts);
  const sharer = new ProjectLinter(linter, [root], (file) => disk.get(file), true);
  const shared = files.map((file) => sharer.share(file)!);
  const worker = new ProjectLinter(linter, [root], (file) => disk.get(file), true);
  worker.addFiles(files);
  for (const module of shared) worker.adopt(module);
  const { parsed } = parsesDuring(linter, texts, () => {
    for (const file of files) {
      worker.reread(file);
      worker.lintModule(file);
    }
  });
  assert.deepEqual(parsed, [], 'no module was parsed: the texts on disk are the ones taken over');

  // The training script changed on disk to one that feeds softmax into a cross-entropy loss.
  const script = files.find((file) => file.endsWith('train.py'))!;
  const before = worker.lintModule(script).findings;
  disk.set(script, fs.readFileSync(fixturePath('python', 'FC101', 'pos-sequential-softmax-crossentropy.py'), 'utf8'));
  worker.reread(script);
  const fresh = new ProjectLinter(linter, [root], (file) => disk.get(file), true);
  fresh.addFiles(files);
  const want = fresh.lintModule(script).findings;
  assert.notDeepEqual(want, before, 'the change on disk changes the findings');
  assert.deepEqual(worker.lintModule(script).findings, want, 'the text now on disk is analysed');
  fresh.dispose();
  for (const project of [sharer, worker]) project.dispose();
});

test('a module whose text the host gave is shared without a digest, and taken over only by a project the host gave the same text', async () => {
  const linter = await getLinter();
  const { root, files, texts, read } = fixtureProject('softmax-in-package');
  const given = (project: ProjectLinter) => {
    project.addFiles(files);
    for (const file of files) project.setText(file, texts.get(file)!);
    return project;
  };
  const sharer = given(new ProjectLinter(linter, [root], () => undefined, true));
  const shared = files.map((file) => sharer.share(file)!);
  assert.deepEqual(shared.map((module) => module.digest), files.map(() => undefined), 'no digest is made of a text the host gave');
  const taker = given(new ProjectLinter(linter, [root], () => undefined, true));
  // The same texts, read from disk: nothing tells that they are the host's.
  const reader = new ProjectLinter(linter, [root], read, true);
  reader.addFiles(files);
  for (const project of [taker, reader]) for (const module of shared) project.adopt(module);
  assert.deepEqual(parsesDuring(linter, texts, () => taker.lintAll()).parsed, [], 'the project given the same texts parses nothing');
  assert.deepEqual(parsesDuring(linter, texts, () => reader.lintAll()).parsed.sort(), [...files].sort(), 'the project reading the disk parses every module itself');
  for (const project of [sharer, taker, reader]) project.dispose();
});

test('a project takes a shared module over without reading its file: the file is read, and checked against the digest, when the module is first used', async () => {
  const linter = await getLinter();
  const { root, files, read } = fixtureProject('softmax-in-package');
  const sharer = new ProjectLinter(linter, [root], read, true);
  const shared = files.map((file) => sharer.share(file)!);
  const reads: string[] = [];
  const taker = new ProjectLinter(linter, [root], (file) => (reads.push(file), read(file)), true);
  taker.addFiles(files);
  for (const module of shared) taker.adopt(module);
  assert.equal(reads.length, 0, 'no file was read to take the modules over');
  // nets.py imports nothing from the project.
  const nets = files.find((file) => file.endsWith('nets.py'))!;
  const { parsed } = parsesDuring(linter, new Map(files.map((file) => [file, read(file)!])), () => taker.lintModule(nets));
  assert.deepEqual(reads, [nets], 'only the linted module was read');
  assert.deepEqual(parsed, [], 'its text on disk is the one shared: it is not parsed again');
  for (const project of [sharer, taker]) project.dispose();
});

test('a module parsed straight into shared memory has the rows of its one-shot copy shared, error flags and depths included', async () => {
  const linter = await getLinter();
  const parser = await PythonParser.create();
  const bytes = (shared: SharedRows) => [...new Uint8Array(shared.buffer)];
  const texts = [
    fs.readFileSync(fixturePath('python', 'FC101', 'pos-sequential-softmax-crossentropy.py'), 'utf8'),
    'import torch\ndef train(model:\n    model.fit(\nx = [1, 2\nclass Net(torch.nn.Module):\n    pass\n',
    '',
  ];
  for (const text of texts) {
    const direct = parseToShared((part) => parser.parse(part), text);
    const copied = shareTree(linter.parsePython(text));
    assert.equal(direct.count, copied.count);
    assert.deepEqual(bytes(direct), bytes(copied), JSON.stringify(text.slice(0, 30)));
    assert.deepEqual([...direct.depths], [...copied.depths]);
  }
});
