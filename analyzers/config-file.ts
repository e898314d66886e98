/** Fitcheck settings from `[tool.fitcheck]` in the nearest `pyproject.toml`, shared by the editor and the CLI. */
import fs from 'node:fs';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { LintSettings } from './config.js';
import { readLintFile } from './read-file.js';
import { SEVERITIES, type Severity } from './core/findings.js';
import { findRule, RULES } from './rules/index.js';
import { isWholeFor, LINT_SETTINGS, setWhole } from './settings-table.js';

/** Something wrong in the file; `line` is 1-based, when known. */
export interface ConfigProblem {
  message: string;
  line?: number;
}

export interface ProjectConfig {
  /** The `pyproject.toml` that was read. */
  path: string;
  /** The settings that were valid; a wrong key is left out, never guessed. */
  config: LintSettings;
  problems: ConfigProblem[];
}

const FILE_NAME = 'pyproject.toml';
const CODE_PATTERN = /^FC\d{0,3}$/;
const KNOWN_KEYS = LINT_SETTINGS.map((s) => s.toml);

/** The nearest `pyproject.toml` above `filePath` (up to `stopAt`, inclusive), read for `[tool.fitcheck]`; undefined when there is none. */
export function findProjectConfig(filePath: string, stopAt?: string): ProjectConfig | undefined {
  const found = nearestPyproject(filePath, stopAt);
  return found && readProjectConfig(found.file);
}

/** Per-file cache of `[tool.fitcheck]`: a `pyproject.toml` is parsed again only when its mtime or size changes. */
export class ConfigCache {
  private readonly entries = new Map<string, { stamp: string; result: ProjectConfig }>();
  /** With `oneRun`: the nearest `pyproject.toml` by folder (and `stopAt`), looked up once. */
  private readonly nearest: Map<string, ReturnType<typeof nearestPyproject>> | undefined;

  /**
   * `oneRun`: the files do not change while the cache is used (one `fitcheck lint`), so each folder's
   * nearest `pyproject.toml` is looked for once, not once per file (a walk up to the root of stat
   * calls); the language server's cache looks again each time.
   */
  constructor({ oneRun = false }: { oneRun?: boolean } = {}) {
    if (oneRun) this.nearest = new Map();
  }

  /** Same answer as `findProjectConfig`; the result is shared between callers, so treat it as read-only. */
  get(filePath: string, stopAt?: string): ProjectConfig | undefined {
    const found = this.nearestOf(filePath, stopAt);
    if (!found) return undefined;
    const stamp = `${found.stat.mtimeMs}:${found.stat.size}`;
    const cached = this.entries.get(found.file);
    if (cached?.stamp === stamp) return cached.result;
    const result = readProjectConfig(found.file);
    this.entries.set(found.file, { stamp, result });
    return result;
  }

  /** Forgets every parsed file. */
  clear(): void {
    this.entries.clear();
    this.nearest?.clear();
  }

  private nearestOf(filePath: string, stopAt: string | undefined): ReturnType<typeof nearestPyproject> {
    if (!this.nearest) return nearestPyproject(filePath, stopAt);
    const key = `${path.dirname(path.resolve(filePath))}\0${stopAt ?? ''}`;
    if (!this.nearest.has(key)) this.nearest.set(key, nearestPyproject(filePath, stopAt));
    return this.nearest.get(key);
  }
}

/** `override` wins key by key; `severity` and `options` are merged entry by entry (editor settings over pyproject). */
export function mergeConfig(base: LintSettings, override: LintSettings): LintSettings {
  const merged: LintSettings = { ...base };
  if (override.select !== undefined) merged.select = override.select;
  if (override.ignore !== undefined) merged.ignore = override.ignore;
  if (override.maxFileSize !== undefined) merged.maxFileSize = override.maxFileSize;
  if (override.severity !== undefined) merged.severity = { ...base.severity, ...override.severity };
  if (override.options !== undefined) merged.options = { ...base.options, ...override.options };
  return merged;
}

/** Reads `[tool.fitcheck]` from the text of a `pyproject.toml`; never throws. */
export function parseProjectConfig(text: string): { config: LintSettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: LintSettings = {};
  let document: Record<string, unknown>;
  try {
    document = parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '') : String(error);
    problems.push(error instanceof TomlError ? { message: `invalid TOML: ${message}`, line: error.line } : { message: `invalid TOML: ${message}` });
    return { config, problems };
  }
  let lineOf: ReturnType<typeof lineFinder> | undefined;
  const report = (message: string, keyPath: string[]) => {
    const line = (lineOf ??= lineFinder(text))(keyPath);
    problems.push(line === undefined ? { message } : { message, line });
  };

  const tool = document.tool;
  const table = isTable(tool) ? tool.fitcheck : undefined;
  if (table === undefined) return { config, problems };
  if (!isTable(table)) {
    report('[tool.fitcheck] must be a table of settings', []);
    return { config, problems };
  }

  for (const [key, value] of Object.entries(table)) {
    const setting = LINT_SETTINGS.find((s) => s.toml === key);
    if (!setting) {
      report(`unknown key "${key}" in [tool.fitcheck]${didYouMean(key)}`, [key]);
    } else if (setting.kind === 'codes') {
      const codes = codeList(key, value, (message) => report(message, [key]));
      if (codes) config[setting.field] = codes;
    } else if (setting.kind === 'severity') {
      const severity = severityTable(value, (message, code) => report(message, code === undefined ? [key] : [key, code]));
      if (severity) config.severity = severity;
    } else if (isWholeFor(setting, value)) {
      // Only the thresholds that were set: `resolveConfig` fills in the rest from the defaults.
      setWhole(config, setting, value);
    } else {
      report(`${key} must be a whole number of at least ${setting.min}, not ${show(value)}`, [key]);
    }
  }
  return { config, problems };
}

/** The largest pyproject.toml read: project files are a few kB. */
export const MAX_PYPROJECT_SIZE = 1_000_000;

function readProjectConfig(file: string): ProjectConfig {
  const read = readLintFile(file, MAX_PYPROJECT_SIZE);
  if (!read.ok) return { path: file, config: {}, problems: [{ message: `cannot read the file: ${read.reason}` }] };
  return { path: file, ...parseProjectConfig(read.text) };
}

/** Walks up from the file's folder; the first `pyproject.toml` ends the search, with or without `[tool.fitcheck]`. */
function nearestPyproject(filePath: string, stopAt?: string): { file: string; stat: fs.Stats } | undefined {
  const stop = stopAt === undefined ? undefined : path.resolve(stopAt);
  let dir = path.dirname(path.resolve(filePath));
  for (;;) {
    const file = path.join(dir, FILE_NAME);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile()) return { file, stat };
    const parent = path.dirname(dir);
    if ((stop !== undefined && samePath(dir, stop)) || parent === dir) return undefined;
    dir = parent;
  }
}

/** Windows paths differ in case only where they come from different APIs (`c:` from VS Code, `C:` from Node). */
function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function codeList(key: string, value: unknown, report: (message: string) => void): string[] | undefined {
  if (!Array.isArray(value)) {
    report(`${key} must be a list of rule codes or prefixes, like ["FC1", "FC301"], not ${show(value)}`);
    return undefined;
  }
  const codes: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') {
      report(`${key}: ${show(entry)} is not a rule code (expected a string like "FC301")`);
      continue;
    }
    const code = entry.trim().toUpperCase();
    const named = findRule(entry);
    if (!CODE_PATTERN.test(code)) report(`${key}: "${entry}" is not a Fitcheck rule code or prefix${named ? `; use its code "${named.code}"` : ' (like "FC301" or "FC3")'}`);
    else if (!RULES.some((r) => r.code.startsWith(code))) report(`${key}: no Fitcheck rule has a code starting with "${code}"`);
    else codes.push(code);
  }
  return codes;
}

function severityTable(value: unknown, report: (message: string, code?: string) => void): Record<string, Severity | 'off'> | undefined {
  if (!isTable(value)) {
    report(`severity must be a table of rule codes, like [tool.fitcheck.severity] FC401 = "info", not ${show(value)}`);
    return undefined;
  }
  const levels = [...SEVERITIES, 'off'];
  const severity: Record<string, Severity | 'off'> = {};
  for (const [key, level] of Object.entries(value)) {
    const rule = findRule(key);
    const code = key.trim().toUpperCase();
    if (!rule) report(`severity: "${key}" is not a Fitcheck rule code (severity needs a full code, like FC401)`, key);
    else if (rule.code !== code) report(`severity: "${key}" is a rule name; use its code "${rule.code}"`, key);
    else if (typeof level !== 'string' || !levels.includes(level)) report(`severity of ${rule.code} must be one of ${levels.map((l) => `"${l}"`).join(', ')}, not ${show(level)}`, key);
    else severity[rule.code] = level as Severity | 'off';
  }
  return severity;
}

/** A hint for `saturatingDepth` or `saturating_depth` written where `saturating-depth` is meant. */
function didYouMean(key: string): string {
  const squash = (k: string) => k.toLowerCase().replace(/[-_]/g, '');
  const known = KNOWN_KEYS.find((k) => squash(k) === squash(key));
  return known ? `; did you mean "${known}"?` : ` (known keys: ${KNOWN_KEYS.join(', ')})`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (isTable(value)) return 'a table';
  return String(value);
}

/**
 * Best-effort 1-based line of `tool.fitcheck.<keyPath>` (falling back to its parents) for problem
 * messages. The text is read once into an index: a file with thousands of wrong keys must not be
 * rescanned per problem.
 */
function lineFinder(text: string): (keyPath: string[]) => number | undefined {
  const headers = new Map<string, number>();
  const keys = new Map<string, number>();
  const headerOf = (line: string) => /^\s*\[([^[\]]+)\]\s*(?:#.*)?$/.exec(line)?.[1];
  let current = '';
  text.split(/\r?\n/).forEach((line, i) => {
    const header = headerOf(line);
    if (header !== undefined) {
      current = normalizeKey(header);
      if (!headers.has(current)) headers.set(current, i + 1);
      return;
    }
    const key = /^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/.exec(line)?.[1];
    const at = key === undefined ? undefined : `${current}\u0000${normalizeKey(key)}`;
    if (at !== undefined && !keys.has(at)) keys.set(at, i + 1);
  });
  return (keyPath) => {
    for (let depth = keyPath.length; depth >= 0; depth--) {
      const table = ['tool', 'fitcheck', ...keyPath.slice(0, Math.max(depth - 1, 0))].join('.');
      const line = depth === 0 ? headers.get(table) : keys.get(`${table}\u0000${keyPath[depth - 1]}`);
      if (line !== undefined) return line;
    }
    return undefined;
  };
}

function normalizeKey(key: string): string {
  return key.split('.').map((part) => part.trim().replace(/^(["'])(.*)\1$/, '$2')).join('.');
}
