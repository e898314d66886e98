/**
 * `npm run bench:panel`: the run panel's webview under a long, fast run. Loads the real bundle
 * (dist/webview/webview.js + panel.css) in headless Chromium (playwright-core, Debian's chromium)
 * in a page that stubs `acquireVsCodeApi` like VS Code's webview host (setState serializes the state
 * with JSON.stringify). A dedicated worker plays the extension host: it builds the run and posts the
 * messages the host sends (`reset`, then batched `append`s, see extension/panel.ts and
 * webviews/panel/protocol.ts), so each arrives in the page's heap as one structured-clone copy, as
 * in VS Code; the page times the panel's `message` handler (header, charts, chart.js draw) and asks
 * for the next message after the next frame (back to back by default: harder than the host's pace).
 *
 * Env: FITCHECK_BENCH_EPOCHS (200000), FITCHECK_BENCH_BATCH (rows per append, 200),
 * FITCHECK_BENCH_PACE_MS (0 = back to back; 100 = the host's real pace), FITCHECK_BENCH_CHROMIUM (default
 * /usr/lib/chromium/chromium), FITCHECK_BENCH_NO_WRITE=1 (print only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type CDPSession } from 'playwright-core';
import { machine, quantile, writeSection } from './bench-report.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EPOCHS = Number(process.env.FITCHECK_BENCH_EPOCHS ?? 200_000);
const BATCH = Number(process.env.FITCHECK_BENCH_BATCH ?? 200);
const LAYERS = ['dense1'];
/** Plotted series per epoch: train/val loss, train/val error, one gradient norm. */
const SERIES = 4 + LAYERS.length;
const CHROMIUM = process.env.FITCHECK_BENCH_CHROMIUM
  || (fs.existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : '/usr/bin/chromium');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-dev-shm-usage', '--enable-precise-memory-info', '--disable-features=Translate,MediaRouter,OptimizationHints'];
const TARGET_MS = 16;
/** Milliseconds between two appends: 0 = back to back (harder than the host's batcher, which sends at most 10 a second: FITCHECK_BENCH_PACE_MS=100). */
const PACE_MS = Number(process.env.FITCHECK_BENCH_PACE_MS ?? 0);
const TARGET_HEAP_MB = 150;

/** What the page reports for one delivered message. */
interface Timing {
  /** Main-thread time of the `message` event: from the first listener to the last (the panel's in between). */
  handler: number;
  /** The host worker's postMessage → the page's event (structured-clone copy and queueing). */
  delivery: number;
}
interface BenchPage {
  __bench: {
    run(workerSource: string, paceMs: number, batches: number): Promise<{ timings: Timing[]; heap: number[] }>;
    finalReset(): Promise<Timing>;
    saves(): number[];
    longTasks(): number[];
    posted(): string[];
  };
}

/**
 * The host, as a dedicated worker: it builds the run's rows (a seeded PRNG, so every run draws the
 * same curves) and posts each message, so the page's heap receives one structured-clone copy per
 * message, as a webview receives the extension host's messages from another frame. Playwright does
 * not carry the messages (its per-call evaluate would add compiled code and copies to the heap).
 */
function hostWorkerSource(epochs: number, batch: number, layers: readonly string[]): string {
  return `
const EPOCHS = ${epochs}, BATCH = ${batch}, LAYERS = ${JSON.stringify(layers)};
let a = 7;
function rand() {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
// A run that starts with high bias, fits, then overfits, with noisy curves (a few regime flips around the changes).
function row(epoch) {
  const noise = () => (rand() - 0.5) * 0.01;
  const trainLoss = 0.02 + 0.9 * Math.exp(-epoch / 4000) + noise();
  const overfit = Math.max(0, (epoch - EPOCHS * 0.3) / EPOCHS) * 0.4;
  const valLoss = trainLoss + 0.03 + overfit + noise();
  const regime = trainLoss > 0.1 ? 'high-bias' : valLoss > 0.1 + (rand() < 0.001 ? -0.05 : 0) ? 'high-variance' : 'good-fit';
  return { epoch, trainLoss, trainError: trainLoss * 0.9, valLoss, valError: valLoss * 0.9, regime,
    gradNorms: { dense1: 0.05 * Math.exp(-epoch / 60000) * (1 + rand() * 0.2) } };
}
function header(epoch, status) {
  const h = { runId: '20260125-152233-bench-1f0c', name: 'bench', status, backend: 'wasm', epoch, epochs: EPOCHS, epsilon: 0.1, metric: 'normalized-mse',
    layers: LAYERS, diagnosis: null,
    insights: epoch > EPOCHS * 0.35 ? [{ kind: 'overfitting-onset', epoch: Math.round(EPOCHS * 0.35), severity: 'warning', message: 'The validation loss rose 5% above its best.', evidence: { bestEpoch: Math.round(EPOCHS * 0.3) }, remedies: ['Stop early at the best epoch.'] }] : [] };
  if (status === 'completed') h.diagnosis = { regime: 'high-variance', epoch, since: Math.round(EPOCHS * 0.35), metric: 'normalized-mse', epsilon: 0.1, trainError: 0.02, valError: 0.3, gap: 0.28,
    summary: 'High variance: training error 0.02 ≤ ε = 0.1 < validation error 0.3', remedies: ['More data.', 'L2 or dropout.'] };
  return h;
}
const batches = Math.ceil(EPOCHS / BATCH);
const all = [];
let b = -1;
const sent = () => performance.timeOrigin + performance.now();
onmessage = () => {
  b += 1;
  if (b === 0) return postMessage({ at: sent(), message: { type: 'reset', snapshot: { header: header(0, 'running'), rows: [] } } });
  if (b <= batches) {
    const rows = [];
    for (let e = (b - 1) * BATCH + 1; e <= Math.min(EPOCHS, b * BATCH); e++) rows.push(row(e));
    for (const r of rows) all.push(r);
    return postMessage({ at: sent(), message: { type: 'append', rows, header: header(rows[rows.length - 1].epoch, b === batches ? 'completed' : 'running') } });
  }
  // The panel re-opened (or the window reloaded) at the end of the run: one reset with every row.
  postMessage({ at: sent(), last: true, message: { type: 'reset', snapshot: { header: header(EPOCHS, 'completed'), rows: all } } });
};`;
}

/**
 * The page: the panel's HTML (panel-html.ts) without the CSP, the vscode stub before the bundle, and
 * a driver after it that takes each message from the host worker, dispatches it to the panel and
 * times the panel's handler, then asks for the next one after the next frame and the host's pace.
 */
function pageHtml(): string {
  const css = pathToFileURL(path.join(repoRoot, 'dist/webview/panel.css')).href;
  const js = pathToFileURL(path.join(repoRoot, 'dist/webview/webview.js')).href;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><link rel="stylesheet" href="${css}"><title>bench</title></head>
<body>
<header id="header"></header>
<main id="charts"></main>
<script>
  // VS Code's webview host: setState JSON-serializes the whole state on the main thread.
  const posted = [], saves = [], longTasks = [];
  let state;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => posted.push(m.type),
    getState: () => state,
    setState: (s) => { const t = performance.now(); JSON.stringify(s); saves.push(performance.now() - t); state = s; return s; },
  });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
</script>
<script src="${js}"></script>
<script>
  window.__bench = {
    saves: () => saves, longTasks: () => longTasks, posted: () => posted,
    /** Streams the run (a reset, then every append); resolves to per-append timings and heap samples (MB, every 25 appends). */
    run: (workerSource, paceMs, batches) => new Promise((resolve) => {
      const worker = new Worker(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
      window.__worker = worker;
      const timings = [], heap = [];
      let count = 0;
      worker.onmessage = (e) => {
        const arrived = performance.timeOrigin + performance.now();
        const t = performance.now();
        // Not window.postMessage: that would clone the message a second time in this heap.
        window.dispatchEvent(new MessageEvent('message', { data: e.data.message }));
        const timing = { handler: performance.now() - t, delivery: arrived - e.data.at };
        if (e.data.last) return window.__resetDone(timing);
        if (count > 0) timings.push(timing);
        if (count % 25 === 0 || count === batches) heap.push(performance.memory.usedJSHeapSize / 1048576);
        if (count === batches) return resolve({ timings, heap });
        count += 1;
        // The next message after the frame is drawn, at the host's pace (at most one per paceMs).
        requestAnimationFrame(() => setTimeout(() => worker.postMessage('next'), Math.max(0, paceMs - (performance.now() - t))));
      };
      worker.postMessage('next');
    }),
    /** The panel re-opened at the end of the run: one reset with every row. */
    finalReset: () => new Promise((resolve) => {
      window.__resetDone = (timing) => { window.__worker.terminate(); resolve(timing); };
      window.__worker.postMessage('next');
    }),
  };
</script>
</body></html>
`;
}

async function heapMb(cdp: CDPSession, collect = false): Promise<number> {
  if (collect) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

const bundleModules = new Map<string, string[]>();
/** The source module of a line of the esbuild bundle (its `// path` comments), else file:line. */
function sourceOf(url: string, lineNumber: number): string {
  const fallback = `${path.basename(url)}:${lineNumber + 1}`;
  if (!url.startsWith('file:')) return fallback;
  let lines = bundleModules.get(url);
  if (!lines) {
    try { lines = fs.readFileSync(fileURLToPath(url), 'utf8').split('\n'); } catch { lines = []; }
    bundleModules.set(url, lines);
  }
  for (let i = Math.min(lineNumber, lines.length - 1); i >= 0; i--) {
    const m = /^ {2}\/\/ ((?:node_modules|webviews)\/\S+)$/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return fallback;
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; }
/** Self time per function (top `n`) of a CPU profile, as "name (file:line) ms". */
function topSelfTime(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, n: number): { name: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i]!)!;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    const key = url ? `${functionName || '(anonymous)'} (${sourceOf(url, lineNumber)})` : functionName || '(native code)';
    self.set(key, (self.get(key) ?? 0) + ms);
    total += ms;
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => ({ name, ms, share: ms / total }));
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/webview/webview.js'))) throw new Error('dist/webview/webview.js is missing: run node esbuild.mjs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-panel-bench-'));
  const file = path.join(dir, 'panel.html');
  fs.writeFileSync(file, pageHtml());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const cdp = await page.context().newCDPSession(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as BenchPage).__bench.posted().includes('ready'));
    const heapStart = await heapMb(cdp, true);
    const batches = Math.ceil(EPOCHS / BATCH);
    const started = performance.now();
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    const { timings, heap: heapSamples } = await page.evaluate(
      ([source, pace, n]) => (globalThis as unknown as BenchPage).__bench.run(source, pace, n),
      [hostWorkerSource(EPOCHS, BATCH, LAYERS), PACE_MS, batches] as const,
    );
    const profile = (await cdp.send('Profiler.stop')).profile as unknown as Parameters<typeof topSelfTime>[0];
    const seconds = (performance.now() - started) / 1000;
    const heapEnd = await heapMb(cdp);
    const heapAfterGc = await heapMb(cdp, true);
    const reset = await page.evaluate(() => (globalThis as unknown as BenchPage).__bench.finalReset());
    const heapAfterReset = await heapMb(cdp, true);
    const saves = await page.evaluate(() => (globalThis as unknown as BenchPage).__bench.saves());
    const longTasks = await page.evaluate(() => (globalThis as unknown as BenchPage).__bench.longTasks());
    if (errors.length) throw new Error(`the panel threw: ${errors.join('; ')}`);

    const handler = timings.map((t) => t.handler);
    const late = handler.slice(Math.floor(handler.length * 0.9));
    const delivery = timings.map((t) => t.delivery);
    const heapPeak = Math.max(...heapSamples, heapEnd);
    const top = topSelfTime(profile, 8);
    const ms = (x: number) => x.toFixed(1);
    const verdict = (ok: boolean) => (ok ? 'meets' : '**misses**');
    const p99 = quantile(handler, 0.99);
    const body = `## Run panel (\`npm run bench:panel\`)

The real webview bundle (dist/webview/webview.js, panel.css) in headless Chromium
(${CHROMIUM}, software rendering, viewport 1200×900), with \`acquireVsCodeApi\` stubbed as VS Code does it
(\`setState\` JSON-serializes the state). The host's messages: a \`reset\`, then ${batches.toLocaleString('en')} \`append\`s of ${BATCH} epochs
(${EPOCHS.toLocaleString('en')} epochs × ${SERIES} plotted series = **${(EPOCHS * SERIES).toLocaleString('en')} points**: train/val loss and error, one
layer's gradient norm; regimes and one insight in the header), posted by a worker standing in for the extension host, so each message
lands in the page's heap as one structured-clone copy, as in VS Code. ${PACE_MS > 0 ? `One message per ${PACE_MS} ms at most (the host's batcher: at most 10 a second, here ${BATCH * (1000 / PACE_MS)} epochs a second)` : 'Back to back (harder than the host, which sends at most 10 a second; FITCHECK_BENCH_PACE_MS=100 paces it so)'}, each after the previous one's frame was drawn.
Update time = main-thread time of the panel's \`message\` handler (header, charts, downsampling and chart.js draw). ${machine()}.

| measure | value | target |
| --- | --- | --- |
| update p50 | ${ms(quantile(handler, 0.5))} ms | |
| update p99 | ${ms(p99)} ms | < ${TARGET_MS} ms: ${verdict(p99 < TARGET_MS)} |
| update max | ${ms(Math.max(...handler))} ms | |
| update p50 / max, last 10 % of the run | ${ms(quantile(late, 0.5))} / ${ms(Math.max(...late))} ms | |
| first 10 % p50 | ${ms(quantile(handler.slice(0, Math.ceil(handler.length / 10)), 0.5))} ms | |
| message delivery (structured clone) p50 / max | ${ms(quantile(delivery, 0.5))} / ${ms(Math.max(...delivery))} ms | |
| state save (\`setState\`, once a second) | ${saves.length} saves, p50 ${ms(saves.length ? quantile(saves, 0.5) : 0)} ms, max ${ms(saves.length ? Math.max(...saves) : 0)} ms | |
| long tasks (> 50 ms) | ${longTasks.length}, max ${ms(longTasks.length ? Math.max(...longTasks) : 0)} ms | |
| JS heap used, peak (sampled every 25 updates, garbage included) | ${heapPeak.toFixed(1)} MB | < ${TARGET_HEAP_MB} MB: ${verdict(heapPeak < TARGET_HEAP_MB)} |
| JS heap live at the end (after a forced GC); empty panel | ${heapAfterGc.toFixed(1)} MB (before GC ${heapEnd.toFixed(1)} MB); ${heapStart.toFixed(1)} MB | < ${TARGET_HEAP_MB} MB: ${verdict(heapAfterGc < TARGET_HEAP_MB)} |
| re-open: one \`reset\` with all ${EPOCHS.toLocaleString('en')} rows | ${ms(reset.handler)} ms (delivery ${ms(reset.delivery)} ms), heap after GC ${heapAfterReset.toFixed(1)} MB | |
| bench wall time | ${seconds.toFixed(0)} s | |

Where the main thread's time goes over the run (CPU profile, self time, by source module of the
bundle; \`setState\` is the stub doing what VS Code's does, JSON.stringify of the panel's state):

| function | ms | share |
| --- | --- | --- |
${top.map((t) => `| \`${t.name.replace(/\|/g, '\\|')}\` | ${ms(t.ms)} | ${(t.share * 100).toFixed(0)} % |`).join('\n')}
`;
    console.log(body);
    if (process.env.FITCHECK_BENCH_NO_WRITE !== '1') writeSection(repoRoot, 'bench:panel', body);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
