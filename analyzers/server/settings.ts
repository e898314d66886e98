/** The `fitcheck.*` settings as the server reads them, turned into lint configuration. */
import type { LintSettings } from '../config.js';
import { SEVERITIES, type Severity } from '../core/findings.js';

export interface FitcheckSettings {
  enable: boolean;
  /** Only what the user set: unset keys fall through to `pyproject.toml`, then to the defaults. */
  config: LintSettings;
}

/** Reads untrusted settings values defensively: wrong types are ignored, as if unset. */
export function parseSettings(raw: unknown): FitcheckSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string').map((s) => s.toUpperCase()) : []);
  const whole = (v: unknown, min: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.floor(v) : undefined);
  const config: LintSettings = {};
  const select = strings(value.select);
  if (select.length > 0) config.select = select;
  const ignore = strings(value.ignore);
  if (ignore.length > 0) config.ignore = ignore;
  if (value.severity && typeof value.severity === 'object') {
    const severity: Record<string, Severity | 'off'> = {};
    for (const [code, level] of Object.entries(value.severity as Record<string, unknown>)) {
      if (level === 'off' || SEVERITIES.includes(level as Severity)) severity[code.toUpperCase()] = level as Severity | 'off';
    }
    if (Object.keys(severity).length > 0) config.severity = severity;
  }
  const saturatingDepth = whole(value.saturatingDepth, 1);
  const deepNetDepth = whole(value.deepNetDepth, 2);
  if (saturatingDepth !== undefined || deepNetDepth !== undefined) {
    config.options = {
      ...(saturatingDepth !== undefined ? { saturatingDepth } : {}),
      ...(deepNetDepth !== undefined ? { deepNetDepth } : {}),
    };
  }
  const maxFileSize = whole(value.maxFileSize, 1);
  if (maxFileSize !== undefined) config.maxFileSize = maxFileSize;
  return { enable: value.enable !== false, config };
}
