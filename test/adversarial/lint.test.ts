/**
 * Hostile input for the linter, the `fitcheck lint` command and the language server: depth, size,
 * repetition, FIFOs and devices, untrusted settings. Each case asserts a clear message, a sane exit
 * code, time that grows linearly (checked at two sizes) and bounded memory.
 */
import assert from 'node:assert/strict';
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, DidOpenTextDocumentNotification, DocumentDiagnosticRequest, ExitNotification, InitializedNotification, InitializeRequest,
  IPCMessageReader, IPCMessageWriter, ShutdownRequest, ConfigurationRequest, type Diagnostic, type FullDocumentDiagnosticReport, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node.js';
import { parseProjectConfig } from '../../analyzers/config-file.js';
import { lintNotebookJson } from '../../analyzers/linter.js';
import { MAX_NESTING, OUT_OF_STACK, TOO_DEEP } from '../../analyzers/python/depth.js';
import { mirrorDeeperThan } from '../../analyzers/python/syntax-tree.js';
import { HARD_MAX_FILE_SIZE, readLintFile } from '../../analyzers/read-file.js';
import { lintRunSpec, MAX_SPEC_NESTING } from '../../analyzers/runspec/lint.js';
import { getLinter, repoRoot } from '../unit/helpers.js';
import { LintFilesRequest, WorkspaceTrustedNotification } from '../../analyzers/server/protocol.js';
import {
  assertLinear, cli, DEEP_PYTHON, heapGrowthMb, MINIMAL_SPEC, runSpecWithLayers, tempDir, TORCH_HEADER,
} from './lint-generators.js';

const SOFTMAX_BUG = 'import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 2), nn.Softmax(dim=1))\nloss = nn.CrossEntropyLoss()\n';
const canMakeFifo = process.platform !== 'win32';

describe('deeply nested input', () => {
  it('skips a Python file nested 5,000 deep in any way with "nested too deeply", one-shot and in an open document', async () => {
    const linter = await getLinter();
    for (const [shape, generate] of Object.entries(DEEP_PYTHON)) {
      // Blocks need their indentation: 1,500 levels already make a 1 MB file.
      const text = `${TORCH_HEADER}${generate(/^nested (if|for)/.test(shape) ? 1_500 : 5_000)}\n`;
      // The depth check itself must see it: the RangeError net is for what it cannot see.
      assert.ok(mirrorDeeperThan(linter.parsePython(text), MAX_NESTING), `${shape}: the depth check misses it`);
      assert.deepEqual(linter.lint(text), { findings: [], skipped: TOO_DEEP }, shape);
      const document = linter.openDocument();
      try {
        assert.deepEqual(linter.lint(text, {}, document), { findings: [], skipped: TOO_DEEP }, `${shape} (open document)`);
      } finally {
        document.dispose();
      }
    }
  });

  it('still analyses a file nested 150 deep, which real code never reaches', async () => {
    const linter = await getLinter();
    for (const [shape, generate] of Object.entries(DEEP_PYTHON)) {
      const result = linter.lint(`${TORCH_HEADER}${generate(150)}\n`);
      assert.equal(result.skipped, undefined, shape);
      // A second model makes the loss's model ambiguous, which rightly silences FC101.
      if (shape !== 'nested Sequential models') assert.ok(result.findings.some((f) => f.code === 'FC101'), `${shape}: the softmax bug is still found`);
    }
  });

  it('gives an open document the same answer as a fresh lint at every depth around the limit', async () => {
    const linter = await getLinter();
    let skipped = 0;
    for (const shape of ['nested lists', 'a long + chain', 'nested method calls', 'nested if blocks', 'repeated not']) {
      const document = linter.openDocument();
      try {
        for (let n = 150; n <= 650; n += 5) {
          const text = `${TORCH_HEADER}${DEEP_PYTHON[shape]!(n)}\n`;
          const fresh = linter.lint(text);
          assert.deepEqual(linter.lint(text, {}, document), fresh, `${shape} at ${n}`);
          if (fresh.skipped) skipped++;
        }
      } finally {
        document.dispose();
      }
    }
    assert.ok(skipped > 0, 'some of these files are past the limit');
  });

  it('takes linear time to refuse deeper and deeper files', async () => {
    const linter = await getLinter();
    for (const shape of ['nested lists', 'a long + chain', 'nested method calls']) {
      assertLinear(`depth check of ${shape}`, (n) => () => assert.equal(linter.lint(`${TORCH_HEADER}${DEEP_PYTHON[shape]!(n)}\n`).skipped, TOO_DEEP), 20_000);
    }
  });

  it('reports a deep file once and keeps every other file\'s findings in a directory lint', () => {
    const dir = tempDir('deep');
    fs.writeFileSync(path.join(dir, 'a_deep_list.py'), `${TORCH_HEADER}${DEEP_PYTHON['nested lists']!(5_000)}\n`);
    fs.writeFileSync(path.join(dir, 'b_deep_calls.py'), `${TORCH_HEADER}${DEEP_PYTHON['nested method calls']!(1_000)}\n`);
    fs.writeFileSync(path.join(dir, 'c_deep.fitrun.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    fs.writeFileSync(path.join(dir, 'd_good.py'), SOFTMAX_BUG);
    const result = cli(['lint', dir]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /d_good\.py:2:\d+: FC101 error/);
    assert.match(result.stdout, /c_deep\.fitrun\.json:1:\d+: FC001 error the run spec nests more than 64 levels deep/);
    assert.match(result.stderr, /skipped .*a_deep_list\.py: file is nested too deeply to analyse/);
    assert.match(result.stderr, /skipped .*b_deep_calls\.py: file is nested too deeply to analyse/);
    assert.doesNotMatch(result.stderr, /internal error|Maximum call stack/);
  });

  it('says the analysis ran out of stack, not that the file passed the depth limit, when a smaller stack overflows within the limit', () => {
    const dir = tempDir('stack');
    const file = path.join(dir, 'nested_400.py');
    fs.writeFileSync(file, `${TORCH_HEADER}${DEEP_PYTHON['nested lists']!(400)}\n`);
    // Stacks from too small to load the CLI at all to enough for the whole analysis: somewhere between,
    // the analysis of a file the depth check lets through overflows, and the net must name that.
    const reasons = new Set<string>();
    for (let kb = 60; kb <= 200; kb += 10) {
      const run = spawnSync(process.execPath, [`--stack-size=${kb}`, path.join(repoRoot, 'dist', 'cli.mjs'), 'lint', file], { encoding: 'utf8', timeout: 60_000 });
      const skipped = /skipped .*nested_400\.py: (.*)/.exec(run.stderr)?.[1];
      if (skipped) reasons.add(skipped);
      else if (run.status === 0) reasons.add('analysed');
    }
    assert.ok(!reasons.has(TOO_DEEP), `the depth limit was named for a file within it: ${[...reasons].join('; ')}`);
    assert.ok(reasons.has(OUT_OF_STACK), `no stack size made the analysis overflow: ${[...reasons].join('; ')}`);
    assert.ok(reasons.has('analysed'), 'no stack size was enough to analyse it');
  });

  it('answers a 100,000-deep run spec with one FC001 error at the bracket past the limit', () => {
    const text = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const findings = lintRunSpec(text);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]!.code, 'FC001');
    assert.match(findings[0]!.message, new RegExp(`nests more than ${MAX_SPEC_NESTING} levels deep`));
    assert.equal(findings[0]!.span.start.character, 5 * MAX_SPEC_NESTING);
    assertLinear('run-spec depth check', (n) => () => lintRunSpec(`${'['.repeat(n)}${']'.repeat(n)}`), 200_000);
  });

  it('refuses a notebook of 1,000,000 nested lists in words', async () => {
    const linter = await getLinter();
    const result = lintNotebookJson(linter, `[${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}]`);
    assert.match(result.skipped ?? '', /not a valid notebook/);
  });
});

describe('oversized input', () => {
  it('refuses a 10 MB Python file with a raised --max-file-size, naming the parser\'s bound, without reading it', () => {
    const dir = tempDir('size');
    const big = path.join(dir, 'big.py');
    const line = 'x = torch.zeros(3)  # some padding to make the file big\n';
    fs.writeFileSync(big, `import torch\n${line.repeat(Math.ceil(10_000_000 / line.length))}`);
    fs.writeFileSync(path.join(dir, 'good.py'), SOFTMAX_BUG);
    const result = cli(['lint', '--max-file-size', '1000000000', dir], { heapMb: 128 });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /skipped .*big\.py: file is 10\.0 MB, over the 4\.0 MB that Fitcheck can parse at most/);
    assert.match(result.stdout, /good\.py:2:\d+: FC101/);
    assert.doesNotMatch(result.stderr, /Aborted|internal error/);
  });

  it('reads no more than the limit of a file that is too big', () => {
    const dir = tempDir('read');
    const big = path.join(dir, 'big.py');
    fs.writeFileSync(big, Buffer.alloc(20_000_000, 0x61));
    let read: ReturnType<typeof readLintFile> | undefined;
    const grown = heapGrowthMb(() => { read = readLintFile(big, HARD_MAX_FILE_SIZE); });
    assert.deepEqual(read && !read.ok ? read.tooBig : undefined, 20_000_000);
    assert.ok(grown < 10, `reading the header of a 20 MB file grew the heap by ${grown.toFixed(1)} MB`);
  });

  it('shows tiny limits in bytes, not "0 kB"', () => {
    const dir = tempDir('tiny');
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.fitcheck]\nmax-file-size = 1\n');
    fs.writeFileSync(path.join(dir, 'train.py'), SOFTMAX_BUG);
    const result = cli(['lint', dir]);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /skipped .*train\.py: file is \d+ bytes, over the 1 byte limit/);
  });
});

describe('repetition', () => {
  it('reads 115,000 repeated "# fitcheck: ignore[" on one line in linear time', async () => {
    const linter = await getLinter();
    const text = (n: number) => `${TORCH_HEADER}x = 1  ${'# fitcheck: ignore['.repeat(n)}\n`;
    const { large } = assertLinear('unclosed directives', (n) => () => linter.lint(text(n)), 57_500);
    assert.ok(large < 10_000, `115,000 directives took ${large.toFixed(0)} ms`);
    assert.ok(linter.lint(text(1_000)).findings.some((f) => f.code === 'FC101'), 'unclosed directives silence nothing');
  });

  it('places 10,000 unknown pyproject keys in linear time, each on its line', () => {
    const toml = (n: number) => `[tool.fitcheck]\n${Array.from({ length: n }, (_, i) => `unknown_key_${i} = 1`).join('\n')}\n`;
    assertLinear('pyproject problems', (n) => () => parseProjectConfig(toml(n)), 10_000);
    const { problems } = parseProjectConfig(toml(10_000));
    assert.equal(problems.length, 10_000);
    assert.equal(problems[9_999]!.line, 10_001);
  });

  it('lints run specs of thousands of layers and thousands of directive comments in linear time', () => {
    lintRunSpec(runSpecWithLayers(10)); // compiles the schema once
    assertLinear('run-spec layers', (n) => () => lintRunSpec(runSpecWithLayers(n)), 2_000);
    // Within the trainer's bound of 512 layers the rules run; past it the spec is refused in words.
    assert.ok(lintRunSpec(runSpecWithLayers(500)).some((f) => f.code === 'FC201'));
    const refused = lintRunSpec(runSpecWithLayers(10_000));
    assert.ok(refused.length > 0 && refused.every((f) => f.code === 'FC001'), JSON.stringify(refused.slice(0, 2).map((f) => f.message)));
    const comments = (n: number) => `${'// fitcheck: ignore[FC401]\n'.repeat(n)}${'/* unclosed '.repeat(n)}\n${MINIMAL_SPEC}`;
    assertLinear('run-spec comments', (n) => () => lintRunSpec(comments(n)), 10_000);
  });

  it('keeps ignore-file with an unknown code from silencing every rule, and reports the code', async () => {
    const linter = await getLinter();
    const { findings } = linter.lint(`# fitcheck: ignore-file[F]\n${SOFTMAX_BUG}`);
    assert.deepEqual(findings.map((f) => f.code).sort(), ['FC000', 'FC101']);
    const known = linter.lint(`# fitcheck: ignore-file[FC1]\n${SOFTMAX_BUG}`);
    assert.deepEqual(known.findings, [], 'a known prefix still silences its rules');
  });
});

describe('files that are not regular files', { skip: !canMakeFifo && 'FIFOs need a POSIX system' }, () => {
  it('refuses a FIFO and /dev/zero given on the command line at once, and lints the rest', () => {
    const dir = tempDir('fifo');
    const fifo = path.join(dir, 'pipe.py');
    execFileSync('mkfifo', [fifo]);
    fs.writeFileSync(path.join(dir, 'good.py'), SOFTMAX_BUG);
    const result = cli(['lint', fifo, '/dev/zero', path.join(dir, 'good.py')], { timeoutMs: 20_000, heapMb: 128 });
    assert.equal(result.error, undefined, 'the lint finished');
    assert.equal(result.status, 2, 'unreadable input exits 2');
    assert.match(result.stderr, /cannot read .*pipe\.py: not a regular file \(a named pipe\)/);
    assert.match(result.stderr, /cannot read \/dev\/zero: not a regular file \(a device\)/);
    assert.match(result.stdout, /good\.py:2:\d+: FC101/);
  });

  it('passes over FIFOs and device links in a folder, and a FIFO named pyproject.toml', () => {
    const dir = tempDir('fifo-dir');
    execFileSync('mkfifo', [path.join(dir, 'pipe.py')]);
    execFileSync('mkfifo', [path.join(dir, 'pyproject.toml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.py'));
    fs.writeFileSync(path.join(dir, 'good.py'), SOFTMAX_BUG);
    const result = cli(['lint', dir], { timeoutMs: 20_000, heapMb: 128 });
    assert.equal(result.error, undefined, 'the lint finished');
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /good\.py:2:\d+: FC101/);
    // A symbolic link named on the command line is followed, and refused as a device.
    const linked = cli(['lint', path.join(dir, 'zero.py')], { timeoutMs: 20_000, heapMb: 128 });
    assert.match(linked.stderr, /zero\.py: not a regular file \(a device\)/);
  });

  it('lints a TensorFlow.js project across its modules when its tsconfig.json is a FIFO', () => {
    const dir = tempDir('fifo-tsconfig');
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'projects', 'tfjs-namespace-custom-loop'), dir, { recursive: true });
    execFileSync('mkfifo', [path.join(dir, 'tsconfig.json')]);
    const result = cli(['lint', dir], { timeoutMs: 20_000, heapMb: 256 });
    assert.equal(result.error, undefined, 'the lint finished');
    // The softmax in models/mlp.mjs is found through train.mjs's import: the project was built.
    assert.match(result.stdout, /mlp\.mjs:7:\d+: FC101/);
  });
});

describe('odd names and broken notebooks', () => {
  it('escapes control characters of file names in text output', () => {
    const dir = tempDir('names');
    fs.writeFileSync(path.join(dir, 'a\nb\u001b[31m.py'), SOFTMAX_BUG);
    const result = cli(['lint', dir]);
    assert.match(result.stdout, /a\\nb\\u001b\[31m\.py:2:\d+: FC101/);
    // eslint-disable-next-line no-control-regex -- no raw escape may reach the terminal
    assert.doesNotMatch(result.stdout, /\u001b/);
  });

  it('says which cell of a notebook is null instead of printing a TypeError', () => {
    const dir = tempDir('notebook');
    fs.writeFileSync(path.join(dir, 'broken.ipynb'), JSON.stringify({ cells: [{ cell_type: 'code', source: ['x = 1\n'] }, null] }));
    const result = cli(['lint', dir]);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /skipped .*broken\.ipynb: not a valid notebook: cell 2 is null, not a cell object/);
    assert.doesNotMatch(result.stderr, /TypeError|Cannot read/);
  });
});

describe('untrusted workspaces', () => {
  it('declares the settings that size work as restricted', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
      contributes: { configuration: { properties: Record<string, { restricted?: boolean }> } };
    };
    // The interpreter that runs a monitored script is a program a cloned repository must not choose.
    const restricted = ['fitcheck.maxFileSize', 'fitcheck.watch.tagMapping', 'fitcheck.python.path'];
    for (const key of restricted) assert.equal(manifest.contributes.configuration.properties[key]?.restricted, true, key);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, restricted);
  });
});

describe('the language server under hostile input', () => {
  let child: ChildProcess;
  let connection: ProtocolConnection;
  const dir = tempDir('server');
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).href;

  before(async () => {
    // pyproject.toml asks for a 10-byte limit: honoured only in a trusted workspace.
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.fitcheck]\nmax-file-size = 10\n');
    child = fork(path.join(repoRoot, 'dist', 'server.mjs'), ['--node-ipc'], { stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
    connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
    connection.onNotification('window/logMessage', () => undefined);
    connection.listen();
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: pathToFileURL(dir).href, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }],
      capabilities: { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { configuration: true } },
      initializationOptions: { trusted: false },
    });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    child.kill();
  });

  async function open(name: string, text: string, languageId = 'python'): Promise<Diagnostic[]> {
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(name), languageId, version: 1, text } });
    const report = await connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: uri(name) } });
    return (report as FullDocumentDiagnosticReport).items;
  }

  it('answers the diagnostic request of a 100,000-deep run spec with FC001', async () => {
    const items = await open('deep.fitrun.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'jsonc');
    assert.deepEqual(items.map((d) => d.code), ['FC001']);
  });

  it('shows a note on a deep Python file instead of leaving it silently clean', async () => {
    const items = await open('deep.py', `${TORCH_HEADER}${DEEP_PYTHON['nested lists']!(5_000)}\n`);
    assert.equal(items.length, 1);
    assert.match(items[0]!.message, /Fitcheck skipped this file: file is nested too deeply to analyse/);
  });

  it('lints the workspace past a FIFO, a device link and a deep file, each with its own note', { skip: !canMakeFifo && 'FIFOs need a POSIX system' }, async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.py')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.py'));
    fs.writeFileSync(path.join(dir, 'deep_list.py'), `${TORCH_HEADER}${DEEP_PYTHON['nested lists']!(5_000)}\n`);
    fs.writeFileSync(path.join(dir, 'good.py'), SOFTMAX_BUG);
    const names = ['pipe.py', 'zero.py', 'deep_list.py', 'good.py'];
    const results = await connection.sendRequest(LintFilesRequest, { uris: names.map(uri) });
    assert.match(results[uri('pipe.py')]![0]!.message, /could not analyse this file: cannot read it: not a regular file \(a named pipe\)/);
    assert.match(results[uri('zero.py')]![0]!.message, /not a regular file \(a device\)/);
    assert.match(results[uri('deep_list.py')]![0]!.message, /nested too deeply/);
    assert.ok(results[uri('good.py')]!.some((d) => d.code === 'FC101'));
  });

  it('ignores the untrusted workspace\'s pyproject max-file-size, and honours it once the workspace is trusted', async () => {
    const items = await open('train.py', SOFTMAX_BUG);
    assert.ok(items.some((d) => d.code === 'FC101'), JSON.stringify(items));
    await connection.sendNotification(WorkspaceTrustedNotification);
    const trusted = await open('trusted.py', SOFTMAX_BUG);
    assert.equal(trusted.length, 1);
    assert.match(trusted[0]!.message, /over the 10 bytes limit/);
  });
});
