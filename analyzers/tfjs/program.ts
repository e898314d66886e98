/**
 * One TensorFlow.js file being analysed: its scopes, and the questions every extractor asks —
 * what `tf` path an expression names, what constant it holds, which model it is.
 */
import type { ts } from 'ts-morph';
import type { ModelFact } from '../facts.js';
import { TFJS_MODULES } from './catalog.js';
import { Scopes, type Binding } from './scope.js';
import { TS } from './ts.js';
import { calleeName, isFunctionLike, objectProperty, receiverOf, SourceText, unwrap, walk, type FunctionLike } from './syntax.js';

const MAX_DEPTH = 12;
const MODEL_NAME = /model|net$|network|classifier|regressor|encoder|decoder|generator|discriminator/i;
const MODEL_TYPE = /\b(LayersModel|Sequential|GraphModel|Functional)\b/;

export class TfjsFile {
  readonly scopes: Scopes;
  readonly src: SourceText;
  /** Model facts by the call that builds them (`tf.sequential(...)`, `tf.model(...)`). */
  readonly modelsByCall = new Map<ts.Node, ModelFact>();
  private readonly returned = new Map<FunctionLike, ts.Expression[]>();
  private readonly paths = new Map<ts.Node, string | undefined>();
  private readonly callers = new Map<FunctionLike, ts.CallExpression[]>();
  private callersIndexed = false;

  constructor(readonly sf: ts.SourceFile, readonly text: string) {
    this.scopes = new Scopes(sf);
    this.src = new SourceText(sf, text);
  }

  get calls(): (ts.CallExpression | ts.NewExpression)[] {
    return this.scopes.index.calls;
  }

  /** Whether the file really imports (or requires) TensorFlow.js, not just mentions it. */
  importsTfjs(): boolean {
    for (const statement of this.sf.statements) {
      if (TS.isImportDeclaration(statement) && TS.isStringLiteral(statement.moduleSpecifier) && TFJS_MODULES.has(statement.moduleSpecifier.text)) return true;
      if (TS.isImportEqualsDeclaration(statement) && TS.isExternalModuleReference(statement.moduleReference) &&
        TS.isStringLiteral(statement.moduleReference.expression) && TFJS_MODULES.has(statement.moduleReference.expression.text)) return true;
    }
    return this.calls.some((call) => this.requiredModule(call) !== undefined);
  }

  /** `require('<tfjs>')` or `import('<tfjs>')`: the module. */
  requiredModule(call: ts.Node): string | undefined {
    if (!TS.isCallExpression(call)) return undefined;
    const callee = call.expression;
    const isRequire = TS.isIdentifier(callee) && callee.text === 'require' && !this.scopes.resolve(callee);
    if (!isRequire && callee.kind !== TS.SyntaxKind.ImportKeyword) return undefined;
    const arg = call.arguments[0];
    return arg && TS.isStringLiteralLike(arg) && TFJS_MODULES.has(arg.text) ? arg.text : undefined;
  }

  /** The path below `tf` an expression names: `tf.layers.dense` → `layers.dense`, `tf` → `''`. */
  qualify(expr: ts.Node | undefined, depth = 0): string | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    const node = unwrap(expr as ts.Expression);
    if (TS.isIdentifier(node)) {
      const binding = this.scopes.resolve(node);
      if (!binding) return undefined;
      if (binding.imported) {
        if (!TFJS_MODULES.has(binding.imported.module)) return undefined;
        return binding.imported.name === '*' || binding.imported.name === 'default' ? '' : binding.imported.name;
      }
      if (binding.destructured) {
        const { from, property } = binding.destructured;
        const base = from && property ? this.qualify(from, depth + 1) : undefined;
        return base === undefined ? undefined : join(base, property);
      }
      const value = this.valueOf(binding, node);
      return value ? this.qualify(value, depth + 1) : undefined;
    }
    if (TS.isPropertyAccessExpression(node)) {
      const base = this.qualify(node.expression, depth + 1);
      return base === undefined ? undefined : join(base, node.name.text);
    }
    if (TS.isElementAccessExpression(node) && TS.isStringLiteralLike(node.argumentExpression)) {
      const base = this.qualify(node.expression, depth + 1);
      return base === undefined ? undefined : join(base, node.argumentExpression.text);
    }
    if (TS.isAwaitExpression(node)) return this.requiredModule(unwrap(node.expression)) !== undefined ? '' : undefined;
    if (TS.isCallExpression(node)) return this.requiredModule(node) !== undefined ? '' : undefined;
    return undefined;
  }

  /** The `tf` path of a call's callee (`layers.dense` for `tf.layers.dense({...})`), computed once per call. */
  callPath(call: ts.CallExpression | ts.NewExpression): string | undefined {
    if (this.paths.has(call)) return this.paths.get(call);
    const path = this.qualify(call.expression);
    this.paths.set(call, path);
    return path;
  }

  /** The value an identifier holds where it is used: its initializer, or its one (or latest earlier) assignment. */
  valueOf(binding: Binding, use: ts.Node): ts.Expression | undefined {
    if (binding.kind === 'param' || binding.kind === 'import' || binding.kind === 'function' || binding.kind === 'class' || binding.destructured) return undefined;
    if (binding.kind === 'const') return binding.init;
    const values = binding.init ? [binding.init, ...binding.assigned] : binding.assigned;
    if (values.length <= 1) return values[0];
    const at = use.pos;
    let best: ts.Expression | undefined;
    for (const value of values) if (value.pos < at) best = value;
    return best;
  }

  /** Follows identifiers (and `CONFIG.key` of constant object literals) to the expression they hold. */
  literal(expr: ts.Node | undefined, depth = 0): ts.Expression | undefined {
    if (!expr || depth > MAX_DEPTH) return undefined;
    const node = unwrap(expr as ts.Expression);
    if (TS.isIdentifier(node)) {
      const binding = this.scopes.resolve(node);
      const value = binding ? this.valueOf(binding, node) : undefined;
      return value ? this.literal(value, depth + 1) : node;
    }
    if (TS.isPropertyAccessExpression(node)) {
      const base = this.literal(node.expression, depth + 1);
      if (base && TS.isObjectLiteralExpression(base)) {
        const property = objectProperty(base, node.name.text);
        if (property) return this.literal(property.value, depth + 1);
      }
    }
    return node;
  }

  /** An options object argument (`{epochs: 10}` or a constant holding one). */
  options(expr: ts.Node | undefined): ts.ObjectLiteralExpression | undefined {
    const node = this.literal(expr);
    return node && TS.isObjectLiteralExpression(node) ? node : undefined;
  }

  /** One option of an options object: its element and value. */
  option(object: ts.ObjectLiteralExpression | undefined, key: string): { element: ts.ObjectLiteralElementLike; value: ts.Expression } | undefined {
    return object ? objectProperty(object, key) : undefined;
  }

  numberOf(expr: ts.Node | undefined, depth = 0): number | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const node = this.literal(expr);
    if (!node) return undefined;
    if (TS.isNumericLiteral(node)) {
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(value) ? value : undefined;
    }
    if (TS.isPrefixUnaryExpression(node)) {
      const operand = this.numberOf(node.operand, depth + 1);
      if (operand === undefined) return undefined;
      if (node.operator === TS.SyntaxKind.MinusToken) return -operand;
      if (node.operator === TS.SyntaxKind.PlusToken) return operand;
      return undefined;
    }
    if (TS.isBinaryExpression(node)) {
      const left = this.numberOf(node.left, depth + 1);
      const right = left === undefined ? undefined : this.numberOf(node.right, depth + 1);
      if (left === undefined || right === undefined) return undefined;
      switch (node.operatorToken.kind) {
        case TS.SyntaxKind.PlusToken: return left + right;
        case TS.SyntaxKind.MinusToken: return left - right;
        case TS.SyntaxKind.AsteriskToken: return left * right;
        case TS.SyntaxKind.SlashToken: return right === 0 ? undefined : left / right;
        case TS.SyntaxKind.AsteriskAsteriskToken: return left ** right;
        default: return undefined;
      }
    }
    return undefined;
  }

  stringOf(expr: ts.Node | undefined): { value: string; node: ts.StringLiteralLike } | undefined {
    const node = this.literal(expr);
    return node && (TS.isStringLiteral(node) || TS.isNoSubstitutionTemplateLiteral(node)) ? { value: node.text, node } : undefined;
  }

  boolOf(expr: ts.Node | undefined): boolean | undefined {
    const node = this.literal(expr);
    if (node?.kind === TS.SyntaxKind.TrueKeyword) return true;
    if (node?.kind === TS.SyntaxKind.FalseKeyword) return false;
    return undefined;
  }

  /** The function an expression names (a declaration, or a variable holding an arrow/function expression). */
  functionOf(expr: ts.Node | undefined): FunctionLike | undefined {
    if (!expr) return undefined;
    const node = unwrap(expr as ts.Expression);
    if (isFunctionLike(node)) return node;
    if (TS.isIdentifier(node)) {
      const binding = this.scopes.resolve(node);
      if (binding?.fn) return binding.fn;
      const value = binding ? this.valueOf(binding, node) : undefined;
      const inner = value ? unwrap(value) : undefined;
      return inner && isFunctionLike(inner) ? inner : undefined;
    }
    return undefined;
  }

  /** What a function returns: its expression body, or the values of its own `return` statements. */
  returnedExpressions(fn: FunctionLike): ts.Expression[] {
    let list = this.returned.get(fn);
    if (list) return list;
    list = [];
    const found = list;
    const body = fn.body;
    if (body && !TS.isBlock(body)) found.push(body as ts.Expression);
    else if (body) {
      walk(body, (node) => {
        if (isFunctionLike(node) || TS.isClassLike(node)) return false;
        if (TS.isReturnStatement(node) && node.expression) found.push(node.expression);
        return true;
      });
    }
    this.returned.set(fn, list);
    return list;
  }

  /** Calls of a function declared in this file, by identifier (`train(model)` for `function train(m)`). */
  callersOf(fn: FunctionLike): ts.CallExpression[] {
    if (!this.callersIndexed) {
      this.callersIndexed = true;
      for (const call of this.calls) {
        if (!TS.isCallExpression(call) || !TS.isIdentifier(unwrap(call.expression))) continue;
        const target = this.functionOf(call.expression);
        if (!target) continue;
        const list = this.callers.get(target) ?? [];
        list.push(call);
        this.callers.set(target, list);
      }
    }
    return this.callers.get(fn) ?? [];
  }

  /** The model an expression evaluates to, when it was built in this file. */
  modelOf(expr: ts.Node | undefined, depth = 0): ModelFact | undefined {
    if (!expr || depth > 6) return undefined;
    const raw = unwrap(expr as ts.Expression);
    if (TS.isIdentifier(raw)) {
      const binding = this.scopes.resolve(raw);
      if (binding?.kind === 'param') return this.parameterModel(binding, depth);
    }
    const node = this.literal(raw);
    if (!node) return undefined;
    if (TS.isAwaitExpression(node)) return this.modelOf(node.expression, depth + 1);
    if (TS.isCallExpression(node)) {
      const direct = this.modelsByCall.get(node);
      if (direct) return direct;
      const fn = TS.isIdentifier(unwrap(node.expression)) ? this.functionOf(node.expression) : undefined;
      for (const value of fn ? this.returnedExpressions(fn) : []) {
        const model = this.modelOf(value, depth + 1);
        if (model) return model;
      }
      return undefined;
    }
    if (TS.isPropertyAccessExpression(node) && node.expression.kind === TS.SyntaxKind.ThisKeyword) {
      for (const value of this.scopes.index.thisAssignments.get(node.name.text) ?? []) {
        const model = this.modelOf(value, depth + 1);
        if (model) return model;
      }
    }
    return undefined;
  }

  /** A parameter holds a model when the function's callers in this file pass one. */
  private parameterModel(binding: Binding, depth: number): ModelFact | undefined {
    const parameter = binding.id.parent;
    const fn = parameter?.parent;
    if (!parameter || !TS.isParameter(parameter) || !fn || !isFunctionLike(fn)) return undefined;
    const index = fn.parameters.indexOf(parameter);
    for (const call of this.callersOf(fn)) {
      const model = this.modelOf(call.arguments[index], depth + 1);
      if (model) return model;
    }
    return undefined;
  }

  /** Whether an expression is (very likely) a tfjs model: built here, loaded, typed or named as one. */
  isModelish(expr: ts.Node | undefined): boolean {
    if (!expr) return false;
    if (this.modelOf(expr)) return true;
    const node = unwrap(expr as ts.Expression);
    const literal = this.literal(node);
    const loaded = literal && TS.isAwaitExpression(literal) ? unwrap(literal.expression) : literal;
    if (loaded && TS.isCallExpression(loaded) && /^(loadLayersModel|loadGraphModel|sequential|model|models\.\w+)$/.test(this.callPath(loaded) ?? '')) return true;
    let name: string | undefined;
    if (TS.isIdentifier(node)) {
      name = node.text;
      const binding = this.scopes.resolve(node);
      const declaration = binding?.id.parent;
      const type = declaration && (TS.isParameter(declaration) || TS.isVariableDeclaration(declaration)) ? declaration.type : undefined;
      if (type && MODEL_TYPE.test(type.getText(this.sf))) return true;
    } else if (TS.isPropertyAccessExpression(node)) {
      name = node.name.text;
    }
    return name !== undefined && MODEL_NAME.test(name);
  }

  /** The model whose output an expression is (`model.predict(x)`, or a variable holding it). */
  modelOutputOf(expr: ts.Node | undefined): ModelFact | undefined {
    let node = this.literal(expr);
    if (node && TS.isAwaitExpression(node)) node = this.literal(node.expression);
    if (!node || !TS.isCallExpression(node)) return undefined;
    const method = calleeName(node);
    if (!method || !['predict', 'predictOnBatch', 'apply', 'call', 'execute', 'executeAsync'].includes(method)) return undefined;
    return this.modelOf(receiverOf(node));
  }
}

function join(base: string, name: string): string {
  return base ? `${base}.${name}` : name;
}
