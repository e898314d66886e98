/** The settings table is the one declaration of the lint settings: the manifest, the CLI and both parsers follow it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseProjectConfig } from '../../../analyzers/config-file.js';
import { parseSettings } from '../../../analyzers/server/settings.js';
import { LINT_SETTINGS, WHOLE_SETTINGS } from '../../../analyzers/settings-table.js';
import { buildProgram } from '../../../cli/main.js';
import { repoRoot } from '../helpers.js';

type Contribution = { type: string | string[]; minimum?: number; items?: { type: string }; scope?: string };
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Contribution> } };
};
const contributed = manifest.contributes.configuration.properties;
/** Settings that are not lint settings: the switch, server tracing, watching and training. */
const NOT_LINT = /^fitcheck\.(enable|trace\.|watch\.|training\.|monitor\.|python\.)/;

describe('the lint settings table', () => {
  it('has a package.json contribution of the same type and least value for every setting', () => {
    for (const setting of LINT_SETTINGS) {
      const entry = contributed[`fitcheck.${setting.setting}`];
      assert.ok(entry, `fitcheck.${setting.setting} is not contributed`);
      const types = ([] as string[]).concat(entry.type);
      if (setting.kind === 'codes') assert.deepEqual([types, entry.items?.type], [['array'], 'string'], setting.setting);
      else if (setting.kind === 'severity') assert.deepEqual(types, ['object'], setting.setting);
      else {
        assert.ok(types.includes('integer'), `${setting.setting} is not an integer setting`);
        assert.equal(entry.minimum, setting.min, `${setting.setting}'s minimum`);
      }
    }
  });

  it('lists every lint setting package.json contributes', () => {
    const lint = Object.keys(contributed).filter((key) => !NOT_LINT.test(key)).map((key) => key.slice('fitcheck.'.length));
    assert.deepEqual(lint.sort(), LINT_SETTINGS.map((s) => s.setting).sort());
  });

  it('gives fitcheck lint a flag for every setting that has one', () => {
    const lint = buildProgram({ stdout: () => undefined, stderr: () => undefined }, () => undefined).commands.find((c) => c.name() === 'lint');
    const flags = new Set(lint?.options.map((o) => o.long));
    for (const setting of LINT_SETTINGS.filter((s) => s.cli !== '')) assert.ok(flags.has(setting.cli), `fitcheck lint has no ${setting.cli}`);
  });

  it('makes the editor and pyproject.toml accept a whole number at its least value and name one below it', () => {
    for (const setting of WHOLE_SETTINGS) {
      const field = setting.field === 'maxFileSize' ? (c: { maxFileSize?: number; options?: Record<string, number | undefined> }) => c.maxFileSize : (c: { options?: Record<string, number | undefined> }) => c.options?.[setting.field];
      assert.equal(field(parseSettings({ [setting.setting]: setting.min }).config), setting.min);
      assert.equal(field(parseProjectConfig(`[tool.fitcheck]\n${setting.toml} = ${setting.min}\n`).config), setting.min);
      const editor = parseSettings({ [setting.setting]: setting.min - 1 });
      const file = parseProjectConfig(`[tool.fitcheck]\n${setting.toml} = ${setting.min - 1}\n`);
      assert.equal(field(editor.config), undefined);
      assert.equal(field(file.config), undefined);
      assert.match(editor.problems.join('\n'), new RegExp(`at least ${setting.min}`));
      assert.match(file.problems.map((p) => p.message).join('\n'), new RegExp(`${setting.toml} must be a whole number of at least ${setting.min}`));
    }
  });
});
