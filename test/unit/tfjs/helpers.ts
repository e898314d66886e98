/** Helpers for the TensorFlow.js tests: fixtures, `// expect:` annotations, and syntax checks. */
import fs from 'node:fs';
import path from 'node:path';
import { scriptLanguageOfPath, type ScriptLanguage } from '../../../analyzers/linter.js';
import { loadTsMorph } from '../../../analyzers/tfjs/loader.js';
import { fixturePath } from '../helpers.js';

export interface ScriptFixture {
  /** The folder: a rule code, or `clean`. */
  group: string;
  name: string;
  file: string;
  language: ScriptLanguage;
  text: string;
}

/** Every fixture under test/fixtures/tfjs/<group>/, in a stable order. */
export function tfjsFixtures(): ScriptFixture[] {
  const root = fixturePath('tfjs');
  return fs.readdirSync(root).sort().flatMap((group) => fs.readdirSync(path.join(root, group)).sort().flatMap((name) => {
    const file = path.join(root, group, name);
    const language = scriptLanguageOfPath(name);
    return language ? [{ group, name, file, language, text: fs.readFileSync(file, 'utf8') }] : [];
  }));
}

/** `CODE@line` pairs (1-based) from `// expect: FC601, FC602` annotations. */
export function expectedScriptFindings(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const match = /\/\/\s*expect:\s*([A-Z0-9,\s]+)/.exec(line);
    if (!match) return;
    for (const code of match[1]!.split(',').map((c) => c.trim()).filter(Boolean)) out.push(`${code}@${i + 1}`);
  });
  return out.sort();
}

/** Syntax errors TypeScript reports for `text` as a file of `language` (no type checking). */
export function syntaxErrors(text: string, language: ScriptLanguage): string[] {
  const { ts } = loadTsMorph();
  const fileName = { typescript: 'a.ts', typescriptreact: 'a.tsx', javascript: 'a.js', javascriptreact: 'a.jsx' }[language];
  const result = ts.transpileModule(text, { fileName, reportDiagnostics: true, compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.Latest, module: ts.ModuleKind.ESNext } });
  return (result.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
