/** The `fitcheck.*` settings as the server reads them, turned into lint configuration. */
import type { LintConfig } from '../config.js';
import { DEFAULT_MAX_FILE_SIZE } from '../config.js';
import { SEVERITIES, type Severity } from '../core/findings.js';

export interface FitcheckSettings {
  enable: boolean;
  config: Partial<LintConfig>;
}

/** Reads untrusted settings values defensively: wrong types fall back to defaults. */
export function parseSettings(raw: unknown): FitcheckSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
  const severity: Record<string, Severity | 'off'> = {};
  if (value.severity && typeof value.severity === 'object') {
    for (const [code, level] of Object.entries(value.severity as Record<string, unknown>)) {
      if (level === 'off' || SEVERITIES.includes(level as Severity)) severity[code.toUpperCase()] = level as Severity | 'off';
    }
  }
  const depth = typeof value.saturatingDepth === 'number' && value.saturatingDepth >= 1 ? Math.floor(value.saturatingDepth) : 3;
  const maxFileSize = typeof value.maxFileSize === 'number' && value.maxFileSize > 0 ? value.maxFileSize : DEFAULT_MAX_FILE_SIZE;
  return {
    enable: value.enable !== false,
    config: {
      select: strings(value.select).map((s) => s.toUpperCase()),
      ignore: strings(value.ignore).map((s) => s.toUpperCase()),
      severity,
      options: { saturatingDepth: depth },
      maxFileSize,
    },
  };
}
