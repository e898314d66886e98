/** Colours from VS Code's theme variables, re-read when the theme changes, nudged to read on the background. */
import type { Regime } from '../../metrics/diagnosis/events.js';
import { ensureContrast, layerPalette } from './colors.js';

/** A CSS variable's value on the body, or the fallback when the host did not set it. */
export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export interface Palette {
  foreground: string;
  background: string;
  grid: string;
  train: string;
  val: string;
  epsilon: string;
  regimes: Record<Regime, string>;
  /** Other runs' curves (Compare Runs), after this run's blue and yellow. */
  series: string[];
  /** `count` distinct colours for per-layer curves. */
  layers(count: number): string[];
}

/** The colours the charts use now; every curve colour has WCAG's 3:1 contrast with the editor background. */
export function readPalette(): Palette {
  const background = cssVar('--vscode-editor-background', '#1e1e1e');
  // Theme chart colours are tuned for their theme, but a light theme's yellow can fall short of 3:1 on white.
  const curve = (name: string, fallback: string) => ensureContrast(cssVar(name, fallback), background);
  const blue = curve('--vscode-charts-blue', '#3794ff');
  const yellow = curve('--vscode-charts-yellow', '#cca700');
  const green = curve('--vscode-charts-green', '#89d185');
  const red = curve('--vscode-charts-red', '#f14c4c');
  const orange = curve('--vscode-charts-orange', '#d18616');
  const purple = curve('--vscode-charts-purple', '#b180d7');
  const foreground = cssVar('--vscode-foreground', '#cccccc');
  return {
    foreground,
    background,
    grid: cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
    train: blue,
    val: yellow,
    epsilon: ensureContrast(cssVar('--vscode-charts-foreground', foreground), background),
    // Shading is drawn faint behind the curves: the raw theme colours.
    regimes: {
      'high-bias': cssVar('--vscode-charts-orange', '#d18616'), 'high-variance': cssVar('--vscode-charts-purple', '#b180d7'),
      'high-bias-and-variance': cssVar('--vscode-charts-red', '#f14c4c'), 'good-fit': cssVar('--vscode-charts-green', '#89d185'),
    },
    series: [blue, yellow, green, red, orange, purple],
    layers: (count) => layerPalette(count, background),
  };
}

/** Calls `onChange` when VS Code switches the theme (it swaps the body's classes). */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
