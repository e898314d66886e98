/** Lint configuration shared by the editor and the CLI. */
import type { Severity } from './core/findings.js';
import { DEFAULT_RULE_OPTIONS, type RuleOptions } from './rules/rule.js';

export interface LintConfig {
  /** Only these codes (empty: all). */
  select: string[];
  /** Never these codes. */
  ignore: string[];
  /** Per-code severity overrides; `off` disables the rule. */
  severity: Record<string, Severity | 'off'>;
  options: RuleOptions;
  /** Files larger than this many bytes are skipped with a note. */
  maxFileSize: number;
}

/** Configuration as set by a user or a file: any key may be missing, rule options too. */
export type LintSettings = Partial<Omit<LintConfig, 'options'>> & { options?: Partial<RuleOptions> };

export const DEFAULT_MAX_FILE_SIZE = 2_000_000;

/** Defaults merged with whatever the caller sets. */
export function resolveConfig(partial: LintSettings = {}): LintConfig {
  return {
    select: partial.select ?? [],
    ignore: partial.ignore ?? [],
    severity: partial.severity ?? {},
    options: { ...DEFAULT_RULE_OPTIONS, ...partial.options },
    maxFileSize: partial.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
  };
}

/** Whether `code` is named by `pattern`, a whole code or a prefix (`FC3` = all FC3xx). */
export function codeMatches(code: string, pattern: string): boolean {
  return code.startsWith(pattern.trim().toUpperCase());
}

/** Whether a code is enabled: `select`/`ignore` entries match whole codes or prefixes (`FC3` = all FC3xx). */
export function isEnabled(code: string, config: LintConfig): boolean {
  const matches = (pattern: string) => codeMatches(code, pattern);
  if (config.select.length > 0 && !config.select.some(matches)) return false;
  if (config.ignore.some(matches)) return false;
  return config.severity[code] !== 'off';
}
