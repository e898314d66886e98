/** Editor settings keep only what the user set, so pyproject.toml values show through the rest. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeConfig } from '../../../analyzers/config-file.js';
import { parseSettings } from '../../../analyzers/server/settings.js';

describe('editor settings', () => {
  it('leave unset and default-valued keys out', () => {
    assert.deepEqual(parseSettings({ enable: true, select: [], ignore: [], severity: {}, saturatingDepth: null, maxFileSize: null }).config, {});
  });

  it('keep the keys the user set, upper-casing codes', () => {
    const settings = parseSettings({ select: ['fc3'], severity: { fc401: 'info', FC101: 'loud' }, saturatingDepth: 4, maxFileSize: 1000 });
    assert.deepEqual(settings.config, { select: ['FC3'], severity: { FC401: 'info' }, options: { saturatingDepth: 4 }, maxFileSize: 1000 });
    assert.deepEqual(settings.problems, ['fitcheck.severity: FC101 must be one of error, warning, info, hint, off']);
  });

  it('leave values of the wrong type out and name each one instead of failing', () => {
    const settings = parseSettings({ enable: 'yes', select: 'FC1', saturatingDepth: 'deep', deepNetDepth: 1, severity: ['FC101'] });
    assert.deepEqual({ enable: settings.enable, config: settings.config }, { enable: true, config: {} });
    assert.deepEqual(settings.problems, [
      'fitcheck.select must be a list of rule codes',
      'fitcheck.severity must be an object of rule codes and levels',
      'fitcheck.saturatingDepth must be a whole number of at least 1, not "deep"',
      'fitcheck.deepNetDepth must be a whole number of at least 2, not 1',
    ]);
    assert.equal(parseSettings({ enable: false }).enable, false);
  });

  it('override pyproject values only where set', () => {
    const project = { ignore: ['FC104'], options: { saturatingDepth: 5 }, severity: { FC101: 'off' as const } };
    const merged = mergeConfig(project, parseSettings({ select: [], severity: { FC401: 'hint' } }).config);
    assert.deepEqual(merged, { ignore: ['FC104'], options: { saturatingDepth: 5 }, severity: { FC101: 'off', FC401: 'hint' } });
  });
});
