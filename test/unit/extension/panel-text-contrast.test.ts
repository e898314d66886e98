/**
 * The panel's text colours against real VS Code theme colours: every `color:` in panel.css is read
 * with the background its rule sets (else the editor's, and the diagnosis banner's), and must pass
 * WCAG AA for text (4.5:1) in the light, dark and high-contrast themes.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { contrastRatio, parseColor, TEXT_CONTRAST } from '../../../webviews/panel/colors.js';
import { fixturePath, repoRoot } from '../helpers.js';

interface Theme { class: string; vars: Record<string, string> }
const themes = Object.entries(JSON.parse(fs.readFileSync(fixturePath('themes', 'vscode-themes.json'), 'utf8')) as Record<string, Theme | string>)
  .filter((e): e is [string, Theme] => typeof e[1] === 'object');
const css = fs.readFileSync(path.join(repoRoot, 'webviews/panel/panel.css'), 'utf8');

/** A text colour the stylesheet sets, and the backgrounds it is drawn on. */
interface TextUse { selector: string; color: string; backgrounds: string[] }

/** `var(--vscode-a, var(--vscode-b))` as the list of variable names, first choice first. */
function varChain(value: string): string[] {
  return [...value.matchAll(/--vscode-([\w-]+)/g)].map((m) => m[1]!);
}

/** Every `color:` of panel.css with its rule's `background:` (text without one sits on the editor or the banner). */
function textUses(text: string): TextUse[] {
  const uses: TextUse[] = [];
  for (const rule of text.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const selector = rule[1]!.trim();
    const decls = new Map([...rule[2]!.matchAll(/(?:^|;)\s*([\w-]+)\s*:\s*([^;]+)/g)].map((d) => [d[1]!, d[2]!.trim()]));
    const color = decls.get('color');
    if (!color || !color.includes('--vscode-')) continue;
    const background = decls.get('background') ?? decls.get('background-color');
    const backgrounds = background && background.includes('--vscode-') ? [background] : ['var(--vscode-editor-background)', 'var(--vscode-textBlockQuote-background)'];
    uses.push({ selector, color, backgrounds });
  }
  return uses;
}

/** The colour a theme gives a `var(...)` chain; undefined when the theme sets none of its variables. */
function resolve(value: string, theme: Theme): string | undefined {
  for (const name of varChain(value)) if (theme.vars[name]) return theme.vars[name];
  return undefined;
}

describe('panel text contrast', () => {
  const uses = textUses(css);

  it('finds the text colours of panel.css (the body, links, notes, errors)', () => {
    const colors = new Set(uses.flatMap((u) => varChain(u.color).slice(0, 1)));
    for (const name of ['foreground', 'descriptionForeground', 'textLink-foreground', 'button-foreground']) assert.ok(colors.has(name), `no text in ${name}`);
  });

  for (const [name, theme] of themes) {
    it(`gives every text of the panel 4.5:1 contrast in the ${name} theme`, () => {
      const failures: string[] = [];
      for (const use of uses) {
        const fg = resolve(use.color, theme);
        assert.ok(fg, `${use.selector}: the ${name} theme sets none of ${use.color}`);
        for (const bgValue of use.backgrounds) {
          const bg = resolve(bgValue, theme) ?? theme.vars['editor-background']!;
          const ratio = contrastRatio(parseColor(fg)!, parseColor(bg)!);
          if (ratio < TEXT_CONTRAST) failures.push(`${use.selector}: ${fg} on ${bg} is ${ratio.toFixed(2)}:1`);
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  it('reports a text colour that falls short (the light theme\'s error red on white)', () => {
    const light = themes.find(([n]) => n === 'light')![1];
    const [use] = textUses('.bad { color: var(--vscode-errorForeground); }');
    const ratio = contrastRatio(parseColor(resolve(use!.color, light)!)!, parseColor(light.vars['editor-background']!)!);
    assert.ok(ratio < TEXT_CONTRAST, `expected ${ratio} < 4.5`);
  });
});
