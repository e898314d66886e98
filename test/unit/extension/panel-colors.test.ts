/** Chart colours: WCAG contrast, nudging theme colours until they read, and a palette of distinct layer colours. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorDifference, contrastRatio, ensureContrast, GRAPHIC_CONTRAST, layerPalette, parseColor, TEXT_CONTRAST } from '../../../webviews/panel/colors.js';

/** Backgrounds of VS Code's default light, dark and high-contrast themes. */
const BACKGROUNDS = { light: '#ffffff', dark: '#1f1f1f', 'high contrast': '#000000', 'high contrast light': '#ffffff', 'solarized light': '#fdf6e3' };

describe('panel colours', () => {
  it('parses the colour forms VS Code themes use', () => {
    assert.deepEqual(parseColor('#3794ff'), [0x37, 0x94, 0xff]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
    assert.deepEqual(parseColor('#cccccc80'), [204, 204, 204]);
    assert.deepEqual(parseColor('rgba(128, 128, 128, 0.3)'), [128, 128, 128]);
    assert.deepEqual(parseColor(' #ABCDEF '), [0xab, 0xcd, 0xef]);
    assert.equal(parseColor('var(--x)'), undefined);
    assert.equal(parseColor('#12345'), undefined);
  });

  it('computes the WCAG contrast ratio (21:1 for black on white, 1:1 for equal colours)', () => {
    assert.equal(Math.round(contrastRatio([0, 0, 0], [255, 255, 255]) * 100) / 100, 21);
    assert.equal(contrastRatio([100, 100, 100], [100, 100, 100]), 1);
    // The WCAG example: #777777 on white is just under 4.5:1.
    const grey = contrastRatio([0x77, 0x77, 0x77], [255, 255, 255]);
    assert.ok(grey > 4.4 && grey < 4.5, String(grey));
  });

  it('darkens the light theme\'s yellow until it reads on white, and leaves colours that already read alone', () => {
    const yellow = '#bf8803';
    const onWhite = parseColor(yellow)!;
    assert.ok(contrastRatio(onWhite, [255, 255, 255]) < TEXT_CONTRAST, 'the light theme\'s yellow is below 4.5:1 on white');
    const text = ensureContrast(yellow, '#ffffff', TEXT_CONTRAST);
    assert.notEqual(text, yellow);
    assert.ok(contrastRatio(parseColor(text)!, [255, 255, 255]) >= TEXT_CONTRAST);
    // The nudge is small: still a yellow-brown, not black.
    assert.ok(colorDifference(parseColor(text)!, onWhite) < 25, text);
    assert.equal(ensureContrast('#3794ff', '#1f1f1f'), '#3794ff');
    assert.equal(ensureContrast('not a colour', '#ffffff'), 'not a colour');
  });

  it('lightens a dark colour on a dark background', () => {
    const fixed = ensureContrast('#1a1a60', '#000000');
    assert.ok(contrastRatio(parseColor(fixed)!, [0, 0, 0]) >= GRAPHIC_CONTRAST, fixed);
  });

  it('gives 12 layers 12 pairwise distinct colours, each with 3:1 contrast, on light, dark and high-contrast backgrounds', () => {
    for (const [theme, background] of Object.entries(BACKGROUNDS)) {
      const colors = layerPalette(12, background);
      assert.equal(colors.length, 12);
      assert.equal(new Set(colors).size, 12, `${theme}: ${colors.join(' ')}`);
      const rgb = colors.map((c) => parseColor(c)!);
      for (let i = 0; i < rgb.length; i++) {
        assert.ok(contrastRatio(rgb[i]!, parseColor(background)!) >= GRAPHIC_CONTRAST, `${theme}: layer ${i + 1} (${colors[i]}) on ${background}`);
        for (let j = 0; j < i; j++) {
          // Far enough apart to tell two curves apart (dense1 and dense7 were both blue).
          assert.ok(colorDifference(rgb[i]!, rgb[j]!) >= 15, `${theme}: layers ${j + 1} and ${i + 1} look alike (${colors[j]}, ${colors[i]})`);
        }
      }
    }
  });

  it('keeps every colour distinct past twelve layers', () => {
    const colors = layerPalette(30, '#1f1f1f');
    assert.equal(new Set(colors).size, 30);
    assert.deepEqual(layerPalette(0, '#ffffff'), []);
  });
});
