/**
 * Colour arithmetic for the charts: WCAG contrast, a theme colour nudged until it reads on the
 * editor's background, and a palette of distinct colours for per-layer curves. Pure (no DOM), so the
 * host-side tests check it.
 */

export type Rgb = readonly [number, number, number];

/** WCAG 2.x: graphical objects (curves, swatches) need 3:1 against their background, text 4.5:1. */
export const GRAPHIC_CONTRAST = 3;
export const TEXT_CONTRAST = 4.5;

/** Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb(…)` or `rgba(…)` (alpha ignored); undefined otherwise. */
export function parseColor(text: string): Rgb | undefined {
  const s = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4})$/.exec(s);
  if (m) {
    const [r, g, b] = [...m[1]!].map((c) => parseInt(c + c, 16));
    return [r!, g!, b!];
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (m) return [parseInt(m[1]!.slice(0, 2), 16), parseInt(m[1]!.slice(2, 4), 16), parseInt(m[1]!.slice(4, 6), 16)];
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])].map((v) => Math.max(0, Math.min(255, Math.round(v)))) as unknown as Rgb;
  return undefined;
}

/** `#rrggbb`. */
export function toHex(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Mixes `rgb` toward `target` by `t` (0: unchanged, 1: the target). */
function mix(rgb: Rgb, target: Rgb, t: number): Rgb {
  return [rgb[0] + (target[0] - rgb[0]) * t, rgb[1] + (target[1] - rgb[1]) * t, rgb[2] + (target[2] - rgb[2]) * t];
}

/**
 * `color` as it is when it already has `min` contrast with `background`, else the least mix toward
 * black (light backgrounds) or white (dark ones) that reaches it. Unparseable colours come back as given.
 */
export function ensureContrast(color: string, background: string, min = GRAPHIC_CONTRAST): string {
  const c = parseColor(color);
  const bg = parseColor(background);
  if (!c || !bg) return color;
  if (contrastRatio(c, bg) >= min) return color;
  const target: Rgb = relativeLuminance(bg) > 0.18 ? [0, 0, 0] : [255, 255, 255];
  // Bisection on the mix: contrast grows monotonically toward the far end.
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (contrastRatio(mix(c, target, mid), bg) >= min) hi = mid;
    else lo = mid;
  }
  return toHex(mix(c, target, hi).map((v) => (target[0] === 0 ? Math.floor(v) : Math.ceil(v))) as unknown as Rgb);
}

/** Mixes a `#rrggbb` toward black or white by `t`. */
function shade(hex: string, toward: 'black' | 'white', t: number): string {
  return toHex(mix(parseColor(hex)!, toward === 'black' ? [0, 0, 0] : [255, 255, 255], t));
}

/**
 * Twelve categorical colours per background kind, in the order layers get them: neighbours differ
 * most, no two alike (CIE ΔE ≥ 20 between any two, after the contrast nudge). Bright ones for dark
 * themes, deep ones for light themes.
 */
const LAYERS_ON_DARK = ['#4e9bff', '#ffa64d', '#5fd35f', '#ff6b6b', '#c39bff', '#4fd6d6', '#ffe14d', '#ff7fd0', '#b5e36b', '#d9a066', '#8c564b', '#e6e6e6'];
const LAYERS_ON_LIGHT = ['#1f6fd1', '#c45f00', '#2a8a2a', '#c92a2a', '#7b4fc9', '#0f8a8a', '#8a7400', '#c2258a', '#5e8a00', '#8a5a2b', '#000080', '#555555'];

/**
 * `count` distinct colours for per-layer curves, each with at least 3:1 contrast on `background`.
 * The first twelve are the categorical set; past twelve it repeats, each round shaded further from
 * the background (still distinct, though less so: a dozen curves is about what one chart can show).
 */
export function layerPalette(count: number, background: string): string[] {
  const bg = parseColor(background) ?? [30, 30, 30];
  const dark = relativeLuminance(bg) <= 0.18;
  const base = dark ? LAYERS_ON_DARK : LAYERS_ON_LIGHT;
  const colors: string[] = [];
  for (let i = 0; i < count; i++) {
    const round = Math.floor(i / base.length);
    const color = round === 0 ? base[i]! : shade(base[i % base.length]!, dark ? 'white' : 'black', Math.min(0.8, 0.22 * round));
    colors.push(ensureContrast(color, toHex(bg)));
  }
  // Equal colours after the nudge (a custom theme's odd background): keep them apart by a small shade.
  for (let i = 0; i < colors.length; i++) {
    while (colors.indexOf(colors[i]!) < i) colors[i] = shade(colors[i]!, dark ? 'white' : 'black', 0.05);
  }
  return colors;
}

/** CIE L*a*b* of an sRGB colour (D65). */
function lab(rgb: Rgb): [number, number, number] {
  const lin = (v: number) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const [r, g, b] = [lin(rgb[0]), lin(rgb[1]), lin(rgb[2])];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const x = f((r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047);
  const y = f(r * 0.2126 + g * 0.7152 + b * 0.0722);
  const z = f((r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** CIE76 ΔE between two colours: about 2 is barely visible, above 10 two curves are told apart at a glance. */
export function colorDifference(a: Rgb, b: Rgb): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}
