/** The walkthrough and the training log in the manifest: every command they use exists, every file they show ships. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LINT_SAMPLE, TRAINING_SAMPLE, sampleSpecForWorkspace } from '../../../extension/walkthrough-samples.js';
import { WALKTHROUGH_KEYS } from '../../../extension/walkthrough-steps.js';
import { validateSpec } from '../../../trainer/spec/validate.js';
import { getLinter, repoRoot } from '../helpers.js';

interface Step { id: string; title: string; description: string; media: { markdown?: string }; completionEvents?: string[] }
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; title: string; steps: Step[] }[];
    languages: { id: string }[];
    grammars: { language?: string; scopeName: string; path: string }[];
  };
  scripts: Record<string, string>;
};
const commands = new Set(manifest.contributes.commands.map((c) => c.command));
const viewIds = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
const extensionSource = fs.readdirSync(path.join(repoRoot, 'extension')).filter((f) => f.endsWith('.ts'))
  .map((f) => fs.readFileSync(path.join(repoRoot, 'extension', f), 'utf8')).join('\n');

/** The .vscodeignore allowlist as regular expressions (`**` excludes everything, `!` lines put files back). */
const shipped = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!'))
  .map((l) => new RegExp(`^${l.slice(1).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
const ships = (file: string) => shipped.some((re) => re.test(file));

/** A command a walkthrough may run: a contributed one, or the `<view>.focus` VS Code adds for each view. */
const runnable = (command: string) => commands.has(command) || (command.endsWith('.focus') && viewIds.has(command.slice(0, -'.focus'.length)));

describe('walkthrough', () => {
  const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === 'fitcheck.getStarted');

  it('is contributed as "Get started with Fitcheck" with lint, demo and own-run steps', () => {
    assert.ok(walkthrough);
    assert.equal(walkthrough.title, 'Get started with Fitcheck');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['lint', 'demo', 'log', 'own-run']);
  });

  it('uses only commands that exist, and completes on events of those commands or views', () => {
    for (const step of walkthrough!.steps) {
      const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]!);
      assert.ok(links.length > 0, `${step.id} has a button`);
      for (const command of links) assert.ok(runnable(command), `${step.id}: ${command}`);
      assert.ok(step.completionEvents?.length, `${step.id} has completion events`);
      for (const event of step.completionEvents!) {
        const [kind, target] = event.split(':') as [string, string];
        if (kind === 'onCommand') assert.ok(commands.has(target), `${step.id}: ${event}`);
        else if (kind === 'onView') assert.ok(viewIds.has(target), `${step.id}: ${event}`);
        else if (kind === 'onContext') assert.ok((Object.values(WALKTHROUGH_KEYS) as string[]).includes(target), `${step.id}: ${event} is not a key the extension sets`);
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });

  it('registers every contributed command in the extension', () => {
    for (const command of commands) assert.match(extensionSource, new RegExp(`registerCommand\\('${command.replace(/\./g, '\\.')}'`), command);
  });

  it('shows markdown files that exist and ship in the vsix, and ships the samples the commands open', () => {
    for (const step of walkthrough!.steps) {
      const file = step.media.markdown!;
      assert.ok(fs.existsSync(path.join(repoRoot, file)), file);
      assert.ok(ships(file), `${file} is in the .vscodeignore allowlist`);
    }
    for (const file of [LINT_SAMPLE, TRAINING_SAMPLE]) {
      assert.ok(fs.existsSync(path.join(repoRoot, file)), file);
      assert.ok(ships(file), `${file} is in the .vscodeignore allowlist`);
    }
  });

  it('has a lint sample that is a plain script: no test annotations, no file it names that does not ship, and the five findings the step lists', async () => {
    const text = fs.readFileSync(path.join(repoRoot, LINT_SAMPLE), 'utf8');
    assert.doesNotMatch(text, /#\s*expect:/);
    assert.doesNotMatch(text, /mnist_clean|mnist_bad/);
    const table = fs.readFileSync(path.join(repoRoot, 'media', 'walkthrough', 'lint.md'), 'utf8');
    const listed = [...table.matchAll(/^\| (\d+) \| (FC\d+) \|/gm)].map((m) => `${m[2]}@${m[1]}`);
    const found = (await getLinter()).lint(text).findings.map((f) => `${f.code}@${f.span.start.line + 1}`);
    assert.deepEqual(found, listed);
  });

  it('copies the demo spec into a workspace as a valid spec without the repository-relative $schema', () => {
    const text = sampleSpecForWorkspace(fs.readFileSync(path.join(repoRoot, TRAINING_SAMPLE), 'utf8'));
    assert.doesNotMatch(text, /\$schema/);
    const { spec, errors } = validateSpec(text);
    assert.deepEqual(errors, []);
    assert.equal(spec?.name, 'hours-polynomial-overfit');
  });
});

describe('training log language', () => {
  it('contributes the fitcheck-training-log language with its grammar, shipped and tested', () => {
    assert.ok(manifest.contributes.languages.some((l) => l.id === 'fitcheck-training-log'));
    const grammar = manifest.contributes.grammars.find((g) => g.language === 'fitcheck-training-log');
    assert.ok(grammar);
    assert.equal(grammar.scopeName, 'text.fitcheck-training-log');
    const file = grammar.path.replace(/^\.\//, '');
    assert.equal(JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')).scopeName, grammar.scopeName);
    assert.ok(ships(file));
    const test = fs.readFileSync(path.join(repoRoot, 'test/grammar/training-log.test.fitcheck-training-log'), 'utf8');
    assert.ok(test.startsWith(`# SYNTAX TEST "${grammar.scopeName}"`));
    assert.match(manifest.scripts['test:grammar']!, /test\/grammar\/\*\.test\.\*/);
  });
});
