/**
 * Validates a run spec's text (JSON with comments tolerated): syntax, the schema, then the checks a
 * schema cannot express (output units against the loss, class counts). Every error carries a
 * 0-based range in the text and a sentence a person can act on.
 */
import type { ErrorObject } from 'ajv';
import * as jsoncModule from 'jsonc-parser';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { commentsOf, MAX_SPEC_NESTING, onlyComments, tooDeepAt } from './json-scan.js';
import { LineIndex, type TextRange } from './positions.js';
import { schemaAt, schemaValidator } from './schema.js';
import { checkSemantics, type SemanticIssue } from './semantics.js';
import { didYouMean } from './suggest.js';
import type { RunSpec } from './types.js';

export interface SpecError extends TextRange {
  message: string;
  /** The JSON path the error is about, e.g. `model.layers[2].rate` (empty for the whole file). */
  path: string;
}

export interface SpecValidation {
  /** The spec with defaults filled in; present only when there are no errors. */
  spec?: RunSpec;
  errors: SpecError[];
}

type Segment = string | number;

// jsonc-parser ships UMD for Node (its functions land on `default` when imported from an ES module)
// and ES modules for bundlers; take whichever form this runtime gave us.
const jsonc: typeof jsoncModule = typeof jsoncModule.parseTree === 'function'
  ? jsoncModule
  : (Reflect.get(jsoncModule, 'default') as typeof jsoncModule);

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'expected the end of the file after the closing brace',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** Validates `text`; returns the spec with defaults, or positioned errors. */
export function validateSpec(text: string): SpecValidation {
  const lines = new LineIndex(text);
  // One-pass scans before the parser: it recurses per nesting level, and unclosed comments must not
  // cost a rescan each.
  const deep = tooDeepAt(text, MAX_SPEC_NESTING);
  if (deep !== undefined) {
    return { errors: [{ message: `the run spec nests more than ${MAX_SPEC_NESTING} levels deep; a run spec needs a handful (data, model, layers)`, path: '', ...lines.range(deep, 1) }] };
  }
  const comments = commentsOf(text);
  const unclosed = comments.find((c) => c.unclosed);
  if (unclosed) return { errors: [{ message: 'syntax error: unterminated comment', path: '', ...lines.range(unclosed.offset, 2) }] };
  if (onlyComments(text, comments)) {
    return { errors: [{ message: 'the file is empty: a run spec is a JSON object with data, model, loss and optimizer', path: '', ...lines.range(0, 0) }] };
  }
  const parseErrors: ParseError[] = [];
  const root = jsonc.parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  if (parseErrors.length > 0) {
    return {
      errors: parseErrors.map((e) => ({
        message: `syntax error: ${SYNTAX_MESSAGES[jsonc.printParseErrorCode(e.error)] ?? jsonc.printParseErrorCode(e.error)}`,
        path: '',
        ...lines.range(e.offset, Math.max(1, e.length)),
      })),
    };
  }
  if (!root) return { errors: [{ message: 'the file is empty: a run spec is a JSON object with data, model, loss and optimizer', path: '', ...lines.range(0, 0) }] };

  const value: unknown = jsonc.getNodeValue(root);
  const validate = schemaValidator();
  if (!validate(value)) {
    return { errors: schemaErrors(validate.errors ?? [], root, lines) };
  }
  const spec = value as RunSpec;
  spec.data.seed ??= spec.training.seed;
  const issues = checkSemantics(spec);
  if (issues.length > 0) return { errors: issues.map((issue) => locate(issue, root, lines)) };
  return { spec, errors: [] };
}

/**
 * The range of the value at a JSON path in a spec's text (e.g. `['model', 'layers', 2, 'rate']`),
 * for attaching findings about a spec to the place they are about; undefined when the path is absent.
 */
export function rangeAt(text: string, path: readonly Segment[]): TextRange | undefined {
  const root = jsonc.parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const node = root ? jsonc.findNodeAtLocation(root, path as Segment[]) : undefined;
  return node ? new LineIndex(text).range(node.offset, node.length) : undefined;
}

function locate(issue: SemanticIssue, root: JsonNode, lines: LineIndex): SpecError {
  const node = jsonc.findNodeAtLocation(root, issue.path) ?? nearestNode(root, issue.path);
  return { message: issue.message, path: displayPath(issue.path), ...rangeOf(node, lines) };
}

/** Maps ajv's errors to one clear error per place. */
function schemaErrors(errors: ErrorObject[], root: JsonNode, lines: LineIndex): SpecError[] {
  // A failed union reports every branch; keep the union's own error only.
  const unionErrors = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const relevant = errors.filter((e) => !unionErrors.some((u) => e !== u && e.instancePath.startsWith(u.instancePath) && e.schemaPath.startsWith(`${u.schemaPath}/`)));
  // A missing discriminator is already reported as a missing required property.
  const missing = new Set(relevant.filter((e) => e.keyword === 'required').map((e) => `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`));
  const byPlace = new Map<string, SpecError>();
  for (const error of relevant.sort((a, b) => rank(a) - rank(b))) {
    if (error.keyword === 'discriminator' && (error.params as { error?: string }).error === 'tag'
      && missing.has(`${error.instancePath}/${(error.params as { tag: string }).tag}`)) continue;
    const described = describe(error, root, lines);
    const key = `${described.line}:${described.column}:${described.path}`;
    if (!byPlace.has(key)) byPlace.set(key, described);
  }
  return [...byPlace.values()].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Type errors say the most, so they win over range errors at the same place. */
function rank(error: ErrorObject): number {
  return ['type', 'discriminator', 'enum', 'anyOf', 'oneOf', 'required', 'additionalProperties'].indexOf(error.keyword) + 1 || 10;
}

function describe(error: ErrorObject, root: JsonNode, lines: LineIndex): SpecError {
  const path = instanceSegments(error.instancePath);
  const where = displayPath(path);
  const subject = where || 'the run spec';
  const node = jsonc.findNodeAtLocation(root, path) ?? nearestNode(root, path);
  const schema = (error.parentSchema as Record<string, unknown> | undefined) ?? {};
  const at = (message: string, target: { offset: number; length: number } | undefined = node): SpecError => ({ message, path: where, ...rangeOf(target, lines) });
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case 'required': {
      const missingProperty = String(params.missingProperty);
      return at(`${subject} is missing the required property '${missingProperty}'`, objectAnchor(node));
    }
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const known = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
      const suggestion = didYouMean(property, known);
      const propertyNode = node?.children?.find((p) => p.children?.[0]?.value === property)?.children?.[0];
      return at(`unknown property '${property}' in ${subject}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`, propertyNode ?? node);
    }
    case 'type': {
      if (!where) return at('the run spec must be a JSON object ({ … })');
      const custom = typeof schema.errorMessage === 'string' ? schema.errorMessage : undefined;
      return at(`${where} must be ${custom ? custom.replace(/^must be /, '') : typeWords(String(params.type))}`);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return at(unknownValue(node?.value, path, allowed, where));
    }
    case 'discriminator': {
      const tag = String(params.tag);
      const branches = ((schema.oneOf as { $ref?: string; properties?: Record<string, { const?: unknown }> }[] | undefined) ?? [])
        .map((b) => (b.$ref ? schemaAt(b.$ref) : b) as { properties?: Record<string, { const?: unknown }> } | undefined)
        .map((b) => b?.properties?.[tag]?.const)
        .filter((v): v is string => typeof v === 'string');
      const tagNode = jsonc.findNodeAtLocation(root, [...path, tag]);
      if (!tagNode) return at(`${subject} is missing the required property '${tag}'`, objectAnchor(node));
      return at(unknownValue(tagNode.value, [...path, tag], branches, displayPath([...path, tag])), tagNode);
    }
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return at(`${where} ${rangeWords(schema, Number(node?.value))}`);
    case 'anyOf': case 'oneOf': {
      const custom = typeof schema.errorMessage === 'string' ? schema.errorMessage : 'has a value of the wrong kind';
      return at(`${where} ${custom}`);
    }
    case 'minItems':
      return at(Number(params.limit) === 1 ? `${where} must not be empty` : `${where} must have at least ${String(params.limit)} items`);
    case 'maxItems':
      return at(`${where} must have at most ${String(params.limit)} items`);
    case 'minLength':
      return at(`${where} must not be empty`);
    case 'maxLength':
      return at(`${where} must be at most ${String(params.limit)} character${Number(params.limit) === 1 ? '' : 's'}`);
    case 'uniqueItems':
      return at(`${where} must not repeat an item`);
    case 'const':
      return at(`${where} must be ${JSON.stringify(params.allowedValue)}`);
    default:
      return at(`${subject} ${error.message ?? 'is invalid'}`);
  }
}

/** "unknown activation 'sigmod' (did you mean 'sigmoid'?)". */
function unknownValue(value: unknown, path: Segment[], allowed: string[], where: string): string {
  if (typeof value !== 'string') return `${where} must be one of ${allowed.map((v) => `'${v}'`).join(', ')}`;
  const suggestion = didYouMean(value, allowed);
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : ` (expected one of ${allowed.map((v) => `'${v}'`).join(', ')})`;
  return `unknown ${noun(path)} '${value}'${hint}`;
}

const NOUNS: Record<string, string> = {
  'layers.type': 'layer type',
  'data.kind': 'data kind',
  'optimizer.type': 'optimizer',
  'loss.type': 'loss',
  'schedule.type': 'schedule type',
  activation: 'activation',
  kernelInitializer: 'initializer',
  monitor: 'early-stopping monitor',
  metric: 'metric',
  onBadRow: 'onBadRow choice',
  regime: 'regime',
  insights: 'insight kind',
  absentInsights: 'insight kind',
};

function noun(path: Segment[]): string {
  const names = path.filter((s): s is string => typeof s === 'string');
  const last = names[names.length - 1] ?? '';
  const parent = names[names.length - 2] ?? '';
  return NOUNS[`${parent}.${last}`] ?? NOUNS[last] ?? last.replace(/([A-Z])/g, ' $1').toLowerCase();
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    integer: 'a whole number', number: 'a number', string: 'a string (in double quotes)', boolean: 'true or false',
    object: 'an object ({ … })', array: 'an array ([ … ])', null: 'null',
  };
  return type.split(',').map((t) => words[t] ?? t).join(' or ');
}

/** "must be between 0 and 1", "must be at least 1", "must be greater than 0", "must be less than 1". */
function rangeWords(schema: Record<string, unknown>, value: number): string {
  const num = (k: string) => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  const low = num('minimum') ?? num('exclusiveMinimum');
  const high = num('maximum') ?? num('exclusiveMaximum');
  const lowExclusive = num('exclusiveMinimum') !== undefined;
  const highExclusive = num('exclusiveMaximum') !== undefined;
  if (highExclusive && value === high) return `must be less than ${high}`;
  if (lowExclusive && value === low) return `must be greater than ${low}`;
  if (low !== undefined && high !== undefined) return `must be between ${low} and ${high}`;
  if (low !== undefined) return lowExclusive ? `must be greater than ${low}` : `must be at least ${low}`;
  if (high !== undefined) return highExclusive ? `must be less than ${high}` : `must be at most ${high}`;
  return 'is out of range';
}

function instanceSegments(pointer: string): Segment[] {
  return pointer.split('/').slice(1).map((raw) => {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

/** `model.layers[2].rate`. */
export function displayPath(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The deepest existing node on a path (a missing property points at its parent). */
function nearestNode(root: JsonNode, path: readonly Segment[]): JsonNode {
  for (let n = path.length; n >= 0; n--) {
    const node = jsonc.findNodeAtLocation(root, path.slice(0, n) as Segment[]);
    if (node) return node;
  }
  return root;
}

/** Where to point for an object missing a property: the key that holds it, or its `type`, or its first brace. */
function objectAnchor(node: JsonNode | undefined): JsonNode | { offset: number; length: number } | undefined {
  if (!node) return undefined;
  if (node.parent?.type === 'property') return node.parent.children?.[0];
  const tag = node.children?.find((p) => p.children?.[0]?.value === 'type' || p.children?.[0]?.value === 'kind');
  if (tag) return tag;
  return { offset: node.offset, length: 1 };
}

function rangeOf(node: { offset: number; length: number } | undefined, lines: LineIndex): TextRange {
  return node ? lines.range(node.offset, node.length) : lines.range(0, 1);
}
