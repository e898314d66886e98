/**
 * The lint settings, declared once. VS Code settings (`fitcheck.<setting>`), `[tool.fitcheck]` keys
 * and CLI flags are read through this table, and a unit test checks package.json's contributions
 * and the CLI's options against it, so the four places cannot drift apart.
 */
import type { LintSettings } from './config.js';
import type { RuleOptions } from './rules/rule.js';

interface SettingBase {
  /** The VS Code setting under `fitcheck.`. */
  setting: string;
  /** The key in `[tool.fitcheck]`. */
  toml: string;
  /** The `fitcheck lint` flag. */
  cli: string;
}

/** Rule codes or prefixes (`select`, `ignore`). */
export interface CodeListSetting extends SettingBase {
  kind: 'codes';
  field: 'select' | 'ignore';
}

/** A per-rule severity table. */
export interface SeveritySetting extends SettingBase {
  kind: 'severity';
  field: 'severity';
}

/** A whole number with a least sensible value: a rule option or the file size limit. */
export interface WholeSetting extends SettingBase {
  kind: 'whole';
  field: keyof RuleOptions | 'maxFileSize';
  min: number;
  /** What the CLI flag's value is, for its help text. */
  unit: string;
}

export type LintSetting = CodeListSetting | SeveritySetting | WholeSetting;

export const LINT_SETTINGS: readonly LintSetting[] = [
  { kind: 'codes', field: 'select', setting: 'select', toml: 'select', cli: '--select' },
  { kind: 'codes', field: 'ignore', setting: 'ignore', toml: 'ignore', cli: '--ignore' },
  // Severities are a table; on the command line `--select`/`--ignore` cover what CI needs.
  { kind: 'severity', field: 'severity', setting: 'severity', toml: 'severity', cli: '' },
  { kind: 'whole', field: 'saturatingDepth', setting: 'saturatingDepth', toml: 'saturating-depth', cli: '--saturating-depth', min: 1, unit: 'layers' },
  { kind: 'whole', field: 'deepNetDepth', setting: 'deepNetDepth', toml: 'deep-net-depth', cli: '--deep-net-depth', min: 2, unit: 'layers' },
  { kind: 'whole', field: 'maxFileSize', setting: 'maxFileSize', toml: 'max-file-size', cli: '--max-file-size', min: 1, unit: 'bytes' },
];

/** The whole-number settings. */
export const WHOLE_SETTINGS: readonly WholeSetting[] = LINT_SETTINGS.filter((s): s is WholeSetting => s.kind === 'whole');

/** Puts a whole-number value where it belongs in lint settings (a rule option, or `maxFileSize`). */
export function setWhole(config: LintSettings, setting: WholeSetting, value: number): void {
  if (setting.field === 'maxFileSize') config.maxFileSize = value;
  else config.options = { ...config.options, [setting.field]: value };
}

/** Whether `value` is a valid whole number for `setting`. */
export function isWholeFor(setting: WholeSetting, value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= setting.min;
}
