#!/usr/bin/env node
/**
 * Renders the run panel (dist/webview/webview.js + panel.css, as built by `node esbuild.mjs`) in
 * headless Chromium with a sample run, in a VS Code theme, and screenshots it. Prints where the
 * charts are and how long the first draw took, as JSON. Needs `tsc -p .` first (the sample run is
 * built with out/extension/run-series.js, as the extension host builds it).
 *
 *   node scripts/render-panel.mjs [--theme light|dark|hc] [--width 640] [--height 800]
 *     [--data full|sparse|steps] [--epochs 200] [--out file.png] [--click-insight] [--zoom]
 *
 * The page has the panel's own Content-Security-Policy (extension/panel-html.ts, with `file:` as the
 * webview's source): CSP violations are reported under `cspViolations`.
 *
 * `full`: validation, learning rate and 12 layers' gradient norms, 17 insights of 4 kinds;
 * `sparse`: training loss only (a watched log with no validation, learning rate or gradients);
 * `steps`: the same, logged every 128 steps without epochs (a step axis), with a plateau insight, ending failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : fallback; };
const theme = opt('theme', 'dark');
const width = Number(opt('width', 640));
const height = Number(opt('height', 800));
const data = opt('data', 'full');
const EPOCHS = Number(opt('epochs', 200));
const out = opt('out', `panel-${theme}-${width}x${height}-${data}.png`);
const CHROMIUM = process.env.FITCHECK_BENCH_CHROMIUM || (fs.existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');

/** A few of VS Code's theme variables (Default Dark Modern, Light Modern, High Contrast), as a webview gets them; the unit tests check the panel's text against the same colours. */
const THEMES = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/themes/vscode-themes.json'), 'utf8'));

/** A sample run's events: a run that fits, then overfits; `full` adds validation, learning rate, 12 layers and insights. */
function sampleEvents(kind) {
  const full = kind === 'full';
  const steps = kind === 'steps';
  const layers = full ? Array.from({ length: 12 }, (_, i) => `dense${i + 1}`) : [];
  const events = [{ type: 'start', format: 'fitcheck-metrics', version: 1, runId: 'sample', time: '2026-01-25T15:22:33.120Z', name: full ? 'hours-polynomial-overfit' : 'watched-log',
    backend: full ? 'tensorflow' : 'pytorch', versions: {}, task: 'regression', metric: 'error', epsilon: 0.1, epochs: full ? EPOCHS : 0, layers, ...(steps ? { axis: 'step' } : {}) }];
  let a = 7;
  const rand = () => { a = (a * 16807) % 2147483647; return a / 2147483647; };
  for (let e = 1; e <= EPOCHS; e++) {
    const u = (e * 200) / EPOCHS;
    const train = 0.02 + 0.9 * Math.exp(-u / 20) + (rand() - 0.5) * 0.01;
    const val = train + 0.03 + Math.max(0, (u - 60) / 200) * 0.4 + (rand() - 0.5) * 0.01;
    const ev = { type: 'epoch', epoch: e, wallTime: e, train: { loss: train, error: train * 0.9 }, regime: u < 25 ? 'high-bias' : u < 90 ? 'good-fit' : 'high-variance' };
    if (steps) ev.step = e * 128;
    if (full) {
      ev.val = { loss: val, error: val * 0.9 };
      ev.lr = 0.01 * Math.pow(0.98, e);
      ev.layers = layers.map((name, i) => ({ name, gradNorm: 0.5 * Math.exp(-i / 2) * Math.exp(-e / 150) * (1 + rand() * 0.2) }));
    }
    events.push(ev);
    if (steps && e === EPOCHS - 5) events.push({ type: 'insight', kind: 'plateau', epoch: e, severity: 'info', message: 'Training loss has not improved in 10 steps', evidence: { window: 10 }, remedies: ['Raise the learning rate.'] });
    if (full && e % Math.round(12 * EPOCHS / 200) === 0 && u >= 24) {
      const kinds = [['overfitting-onset', 'warning', 'Validation loss has risen since its best epoch'], ['plateau', 'info', 'Training loss has not improved in 10 epochs'],
        ['vanishing-gradients', 'warning', 'The first layer gets 1000× smaller gradients than the last'], ['regime-oscillation', 'info', 'The regime flips between high variance and good fit']];
      const [k, severity, message] = kinds[Math.round(u / 12) % kinds.length];
      events.push({ type: 'insight', kind: k, epoch: e, severity, message: `${message} (epoch ${e})`, evidence: k === 'plateau' ? { window: 10 } : k === 'overfitting-onset' ? { bestEpoch: e - 8 } : { ratio: 1000 }, remedies: ['Stop early at the best epoch.', 'Add dropout or weight decay.'] });
    }
  }
  if (steps) events.push({ type: 'end', status: 'failed', epochs: EPOCHS, wallTime: EPOCHS, reason: 'The writer stopped: the log ends mid-record.' });
  if (full) events.push({ type: 'end', status: 'completed', epochs: EPOCHS, wallTime: EPOCHS, diagnosis: { regime: 'high-variance', epoch: EPOCHS, since: Math.round(EPOCHS * 0.45), metric: 'error', epsilon: 0.1, trainError: 0.02, valError: 0.298, gap: 0.278, summary: `High variance since epoch ${Math.round(EPOCHS * 0.45)}: training error 0.02 ≤ ε = 0.1 < validation error 0.298`, remedies: ['Add more training data.', 'Reduce model complexity: fewer units, layers or features.', 'Regularize: an L2 (weight decay) or L1 penalty, or dropout.', 'Stop early, at the best epoch.'] } });
  return events;
}

const { RunSeries } = await import(pathToFileURL(path.join(root, 'out/extension/run-series.js')).href);
const series = RunSeries.fromEvents('sample', sampleEvents(data));
if (data === 'full' && !series.header.diagnosis) throw new Error('the sample run has no diagnosis');
const snapshot = series.snapshot();

const t = THEMES[theme];
if (!t) throw new Error(`unknown theme ${theme}: light, dark or hc`);
const style = Object.entries({ ...t.vars, 'font-family': 'system-ui, sans-serif', 'font-size': '13px' }).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
// The theme as a stylesheet, not a style attribute: the panel's CSP blocks inline styles.
const themeCss = path.join(root, 'dist', 'render-theme.css');
fs.writeFileSync(themeCss, `html { ${style} }\n`);
const { panelCsp } = await import(pathToFileURL(path.join(root, 'out/extension/panel-html.js')).href);
const nonce = 'render0panel0nonce';
// FITCHECK_RENDER_BUNDLE=dir: another build's webview.js and panel.css (to compare two versions).
const bundle = process.env.FITCHECK_RENDER_BUNDLE || path.join(root, 'dist/webview');
const css = pathToFileURL(path.join(bundle, 'panel.css')).href;
const js = pathToFileURL(path.join(bundle, 'webview.js')).href;
const html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${panelCsp('file:', nonce)}">
<script nonce="${nonce}">
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample)));
</script>
<link rel="stylesheet" href="${pathToFileURL(themeCss).href}"><link rel="stylesheet" href="${css}"></head>
<body class="${t.class}">
${fs.readFileSync(path.join(root, 'extension/panel-html.ts'), 'utf8').match(/<body>\n([\s\S]*?)<script/)[1]}
<script nonce="${nonce}">
  window.__posted = [];
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
  window.__t0 = performance.now();
</script>
<script nonce="${nonce}" src="${js}"></script>
<script nonce="${nonce}">window.__scriptMs = performance.now() - window.__t0;</script>
</body></html>`;
const page$ = path.join(root, 'dist', 'render-panel.html');
fs.writeFileSync(page$, html);

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(page$).href);
  const cdp = args.includes('--profile') ? await page.context().newCDPSession(page) : undefined;
  if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
  const timing = await page.evaluate((snap) => new Promise((resolve) => {
    const t = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'reset', snapshot: snap } }));
    const handler = performance.now() - t;
    requestAnimationFrame(() => setTimeout(() => resolve({ scriptMs: window.__scriptMs, handlerMs: handler, firstFrameMs: performance.now() - t }), 0));
  }), snapshot);
  if (cdp) {
    // Where the first draw's time goes: self time per function, top 15.
    const { profile } = await cdp.send('Profiler.stop');
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    profile.samples.forEach((id, i) => {
      const f = byId.get(id).callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    console.error([...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
  }
  await page.waitForTimeout(300);
  if (args.includes('--click-insight')) {
    // Open the insights fold and the first kind, then outline the kind's latest insight on the charts.
    await page.locator('.insights > summary').click();
    await page.locator('.insight-kind details > summary').first().click();
    await page.locator('.insight-kind > button.link').first().click();
    await page.waitForTimeout(200);
  }
  if (args.includes('--zoom')) {
    // Drag across the loss chart from 30 % to 60 % of its width: every chart shows those epochs.
    const box = await page.locator('#charts canvas').first().boundingBox();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(200);
  }
  const layout = await page.evaluate(() => {
    const rect = (e) => { const r = e.getBoundingClientRect(); return { top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left), right: Math.round(r.right) }; };
    return {
      viewport: { width: innerWidth, height: innerHeight },
      charts: [...document.querySelectorAll('#charts canvas')].filter((c) => c.offsetParent).map((c) => ({ label: c.getAttribute('aria-label'), ...rect(c) })),
      legends: document.body.innerText.includes('validation'),
      pressed: [...document.querySelectorAll('[aria-pressed="true"]')].map((b) => b.getAttribute('aria-label')),
      // WCAG contrast of every visible text in the header and controls against the background behind it.
      lowContrast: (() => {
        const rgb = (c) => { const m = /rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[, /]+([\d.]+))?/.exec(c); return m ? { v: [+m[1], +m[2], +m[3]], a: m[4] === undefined ? 1 : +m[4] } : null; };
        const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
        const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        const bgOf = (e) => { for (let n = e; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor); if (c && c.a > 0.5) return c.v; } return rgb(getComputedStyle(document.body).backgroundColor).v; };
        const out = [];
        for (const e of document.querySelectorAll('#header *, .controls *, .legend *')) {
          if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) || !e.offsetParent) continue;
          const c = rgb(getComputedStyle(e).color);
          const r = ratio(c.v, bgOf(e));
          if (r < 4.5) out.push(`${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}" ${r.toFixed(2)}`);
        }
        return out;
      })(),
      resetZoomEnabled: !document.querySelector('.controls vscode-button[disabled]'),
      cspViolations: window.__cspViolations,
    };
  });
  await page.screenshot({ path: out });
  console.log(JSON.stringify({ theme, data, out, timing, layout, errors }, null, 1));
} finally {
  await browser.close();
}
