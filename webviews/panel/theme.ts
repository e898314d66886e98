/** Colours from VS Code's theme variables, re-read when the theme changes. */
import type { Regime } from '../../metrics/events.js';

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
  series: string[];
}

/** The colours the charts use now. */
export function readPalette(): Palette {
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  const foreground = cssVar('--vscode-foreground', '#cccccc');
  return {
    foreground,
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    grid: cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
    train: blue,
    val: yellow,
    epsilon: cssVar('--vscode-charts-foreground', foreground),
    regimes: { 'high-bias': orange, 'high-variance': purple, 'high-bias-and-variance': red, 'good-fit': green },
    series: [blue, yellow, green, red, orange, purple],
  };
}

/** Calls `onChange` when VS Code switches the theme (it swaps the body's classes). */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
