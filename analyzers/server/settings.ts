/** The `fitcheck.*` settings as the server reads them, turned into lint configuration. */
import type { LintSettings } from '../config.js';
import { SEVERITIES, type Severity } from '../core/findings.js';
import { isWholeFor, LINT_SETTINGS, setWhole } from '../settings-table.js';

export interface FitcheckSettings {
  enable: boolean;
  /** Only what the user set: unset keys fall through to `pyproject.toml`, then to the defaults. */
  config: LintSettings;
  /** Values that were set but could not be used, in words (the server logs them). */
  problems: string[];
}

/** Reads untrusted settings values defensively: a wrong value is left out, as if unset, and named in `problems`. */
export function parseSettings(raw: unknown): FitcheckSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const problems: string[] = [];
  const config: LintSettings = {};
  for (const setting of LINT_SETTINGS) {
    const v = value[setting.setting];
    if (v === undefined || v === null) continue;
    const name = `fitcheck.${setting.setting}`;
    if (setting.kind === 'codes') {
      if (!Array.isArray(v)) {
        problems.push(`${name} must be a list of rule codes`);
        continue;
      }
      const codes = v.filter((s): s is string => typeof s === 'string').map((s) => s.toUpperCase());
      if (codes.length < v.length) problems.push(`${name}: entries that are not strings are ignored`);
      if (codes.length > 0) config[setting.field] = codes;
    } else if (setting.kind === 'severity') {
      if (typeof v !== 'object' || Array.isArray(v)) {
        problems.push(`${name} must be an object of rule codes and levels`);
        continue;
      }
      const severity: Record<string, Severity | 'off'> = {};
      for (const [code, level] of Object.entries(v as Record<string, unknown>)) {
        if (level === 'off' || SEVERITIES.includes(level as Severity)) severity[code.toUpperCase()] = level as Severity | 'off';
        else problems.push(`${name}: ${code} must be one of ${[...SEVERITIES, 'off'].join(', ')}`);
      }
      if (Object.keys(severity).length > 0) config.severity = severity;
    } else if (isWholeFor(setting, v)) {
      setWhole(config, setting, v);
    } else {
      problems.push(`${name} must be a whole number of at least ${setting.min}, not ${JSON.stringify(v)}`);
    }
  }
  return { enable: value.enable !== false, config, problems };
}
