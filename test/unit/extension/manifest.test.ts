/** The manifest and the README agree: every setting is documented with its default, every command has a title. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers.js';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  icon: string;
  contributes: { configuration: { properties: Record<string, { default: unknown; markdownDescription?: string; description?: string }> }; commands: { command: string; title: string; category?: string }[] };
};
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('extension manifest', () => {
  it('documents exactly the contributed settings in the README table, with their defaults', () => {
    const rows = [...readme.matchAll(/^\| `(fitcheck\.[\w.]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
    const settings = manifest.contributes.configuration.properties;
    assert.deepEqual(rows.map(([name]) => name).sort(), Object.keys(settings).sort());
    for (const [name, shown] of rows) {
      const value = settings[name]!.default;
      const expected = value === null ? /^unset/ : new RegExp(`^\`${JSON.stringify(value).replace(/[[\]{}]/g, '\\$&')}\`$`);
      assert.match(shown, expected, `${name} default`);
      assert.ok(settings[name]!.markdownDescription ?? settings[name]!.description, `${name} has a description`);
    }
  });

  it('gives every command a title in the Fitcheck category', () => {
    for (const command of manifest.contributes.commands) {
      assert.ok(command.title.length > 0, command.command);
      assert.equal(command.category, 'Fitcheck', command.command);
    }
  });

  it('ships a 128×128 PNG icon', () => {
    const png = fs.readFileSync(path.join(repoRoot, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });
});
