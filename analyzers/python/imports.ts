/** Resolves local names to fully qualified API names through the file's imports. */
import type { SyntaxNode } from './syntax-tree.js';
import { dottedName } from './node-queries.js';

/** Keras lives under several roots; rules see one spelling. */
function normalize(qualified: string): string {
  return qualified
    .replace(/^tensorflow\.python\.keras(?=\.|$)/, 'keras')
    .replace(/^tensorflow\.keras(?=\.|$)/, 'keras')
    .replace(/^tf_keras(?=\.|$)/, 'keras')
    .replace(/^keras\.src(?=\.)/, 'keras')
    .replace(/^keras\.api\._v2\.keras(?=\.)/, 'keras');
}

export class ImportTable {
  private readonly aliases = new Map<string, string>();
  private readonly starModules: string[] = [];

  /** Collects the given import statements (module level and nested). */
  constructor(statements: Iterable<SyntaxNode>) {
    for (const node of statements) this.add(node);
  }

  private add(node: SyntaxNode): void {
    if (node.type === 'import_statement') {
      for (const item of node.childrenForFieldName('name')) {
        if (!item) continue;
        if (item.type === 'aliased_import') {
          const name = item.childForFieldName('name')?.text;
          const alias = item.childForFieldName('alias')?.text;
          if (name && alias) this.aliases.set(alias, normalize(name));
        } else {
          // `import torch.nn` binds `torch`; the dotted rest resolves through it.
          const head = item.text.split('.')[0]!;
          this.aliases.set(head, normalize(head));
        }
      }
      return;
    }
    const moduleName = node.childForFieldName('module_name')?.text;
    if (!moduleName || moduleName.startsWith('.')) return;
    if (node.descendantsOfType('wildcard_import').length > 0) {
      this.starModules.push(normalize(moduleName));
      return;
    }
    for (const item of node.childrenForFieldName('name')) {
      if (!item) continue;
      if (item.type === 'aliased_import') {
        const name = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (name && alias) this.aliases.set(alias, normalize(`${moduleName}.${name}`));
      } else {
        this.aliases.set(item.text, normalize(`${moduleName}.${item.text}`));
      }
    }
  }

  /** The local name bound to exactly this module (`torch` for `import torch`, `T` for `import torch as T`). */
  localName(qualified: string): string | undefined {
    for (const [local, q] of this.aliases) if (q === qualified) return local;
    return undefined;
  }

  /** True when some import mentions this module root (e.g. `torch`, `keras`). */
  uses(root: string): boolean {
    for (const q of this.aliases.values()) if (q === root || q.startsWith(`${root}.`)) return true;
    return this.starModules.some((m) => m === root || m.startsWith(`${root}.`));
  }

  /**
   * The qualified name of an identifier/attribute expression, e.g. `nn.Softmax` → `torch.nn.Softmax`.
   * `isKnown` lets star imports resolve names the catalog knows.
   */
  qualify(node: SyntaxNode | null | undefined, isKnown?: (qualified: string) => boolean): string | undefined {
    const dotted = dottedName(node);
    if (!dotted) return undefined;
    return this.qualifyDotted(dotted, isKnown);
  }

  /** Same as {@link qualify} for an already dotted string. */
  qualifyDotted(dotted: string, isKnown?: (qualified: string) => boolean): string | undefined {
    const dot = dotted.indexOf('.');
    const head = dot === -1 ? dotted : dotted.slice(0, dot);
    const rest = dot === -1 ? '' : dotted.slice(dot);
    const bound = this.aliases.get(head);
    if (bound) return normalize(bound + rest);
    if (isKnown) {
      for (const module of this.starModules) {
        const candidate = `${module}.${dotted}`;
        if (isKnown(candidate)) return candidate;
      }
    }
    return undefined;
  }
}
