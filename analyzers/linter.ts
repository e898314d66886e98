/** The analyzers' entry point: text in, findings out, for every supported language. */
import type { Finding } from './core/findings.js';
import { resolveConfig, type LintConfig } from './config.js';
import { DEFAULT_DOCS_BASE, runRules } from './engine.js';
import { PythonDocument } from './python/document.js';
import { pythonFacts } from './python/frontend.js';
import { PythonParser } from './python/parser.js';
import { parseSuppressions } from './suppressions.js';

export type LanguageId = 'python';

export interface LintResult {
  findings: Finding[];
  /** Set when the file was not analysed, with the reason in words. */
  skipped?: string;
}

export interface LinterOptions {
  /** Folder holding `web-tree-sitter.wasm` and `tree-sitter-python.wasm` (bundles); node_modules otherwise. */
  wasmDir?: string;
  /** Base of the rule pages linked from findings. */
  docsBase?: string;
}

/** Lints source text. One instance per process; it owns the parser. */
export class Linter {
  private constructor(private readonly parser: PythonParser, private readonly docsBase: string) {}

  static async create(options: LinterOptions = {}): Promise<Linter> {
    return new Linter(await PythonParser.create(options.wasmDir), options.docsBase ?? DEFAULT_DOCS_BASE);
  }

  /** A document that re-parses incrementally as its text changes (for the language server). */
  openDocument(): PythonDocument {
    return new PythonDocument(this.parser);
  }

  /** Lints `text`; pass `document` to reuse its previous parse. Never throws on bad input. */
  lint(text: string, config: Partial<LintConfig> | LintConfig = {}, document?: PythonDocument): LintResult {
    const resolved = resolveConfig(config);
    const skipped = whySkip(text, resolved.maxFileSize);
    if (skipped) return { findings: [], skipped };
    const owned = document ?? this.openDocument();
    try {
      const tree = owned.update(text);
      const facts = pythonFacts(tree, text);
      // Directives are rare: only files that mention them pay for the comment walk.
      const comments = !text.includes('fitcheck') ? [] : tree.rootNode.descendantsOfType('comment')
        .filter((c) => c !== null && c.text.includes('fitcheck'))
        .map((c) => ({ line: c!.startPosition.row, text: c!.text }));
      return { findings: runRules(facts, resolved, parseSuppressions(comments), this.docsBase) };
    } finally {
      if (!document) owned.dispose();
    }
  }
}

/** Binary or oversized input is reported, not analysed. */
function whySkip(text: string, maxFileSize: number): string | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxFileSize) {
    return `file is ${formatBytes(bytes)}, over the ${formatBytes(maxFileSize)} limit (setting fitcheck.maxFileSize / --max-file-size)`;
  }
  if (text.includes('\u0000')) return 'file looks binary (it contains NUL bytes)';
  return undefined;
}

function formatBytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.round(bytes / 1000)} kB`;
}
