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
 * The peer, interleaved round by round in its own fresh page, is plain chart.js drawing the same messages.
 * A run whose update times spread past the bound is refused (exit 1, nothing written).
 *
 * Env: FITCHECK_BENCH_EPOCHS (200000), FITCHECK_BENCH_BATCH (rows per append, 200), FITCHECK_BENCH_ROUNDS (2),
 * FITCHECK_BENCH_PACE_MS (0 = back to back; 100 = the host's real pace), FITCHECK_BENCH_CHROMIUM (default
 * /usr/lib/chromium/chromium), FITCHECK_BENCH_PROFILE=1 (one more run under the CPU profiler, its top
 * self times added), FITCHECK_BENCH_NO_WRITE=1 (print only).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { machine, quantile, summarize } from './bench-report.js';
import { BenchRun, interleave, summaryHeader, summaryRow } from './bench-run.js';

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
/** Interleaved rounds (FITCHECK_BENCH_ROUNDS): one whole streamed run of the panel and of the peer each. */
const ROUNDS = Number(process.env['FITCHECK_BENCH_ROUNDS'] ?? 2);
/** The largest p90/p50 of either page's update times before the run is refused as too noisy. */
const MAX_SPREAD = 2;

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
 * The peer: the same curves in plain chart.js (the library the panel draws with), as its documentation
 * suggests for big series: three line charts (loss, error, the gradient norm on a log axis), no
 * animation, data already parsed, chart.js's own min-max decimation, `update('none')` after each
 * message. What the panel adds on top (its own downsampling, regime shading, header, smoothing) is
 * what the comparison shows.
 */
const PEER_PANEL = `
(() => {
  const charts = [];
  const make = (series, log) => {
    const canvas = document.createElement('canvas');
    const box = document.createElement('div');
    box.style.height = '260px';
    box.appendChild(canvas);
    document.getElementById('charts').appendChild(box);
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: series.map((s) => ({ label: s.label, data: [], pointRadius: 0, borderWidth: 1, key: s.key })) },
      options: { animation: false, parsing: false, normalized: true, maintainAspectRatio: false, spanGaps: true,
        plugins: { decimation: { enabled: true, algorithm: 'min-max' } },
        scales: { x: { type: 'linear' }, y: { type: log ? 'logarithmic' : 'linear' } } },
    });
    charts.push(chart);
  };
  make([{ label: 'train loss', key: 'trainLoss' }, { label: 'val loss', key: 'valLoss' }], false);
  make([{ label: 'train error', key: 'trainError' }, { label: 'val error', key: 'valError' }], false);
  make([{ label: 'dense1', key: 'dense1' }], true);
  // Each series' points live in one array chart.js keeps listening to (its decimation swaps what \`data\` returns).
  const points = new Map();
  const add = (rows) => {
    for (const chart of charts) for (const ds of chart.data.datasets) {
      const into = points.get(ds.key);
      for (const r of rows) into.push({ x: r.epoch, y: ds.key === 'dense1' ? r.gradNorms.dense1 : r[ds.key] });
      ds.data = into;
    }
  };
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m.type === 'reset') { for (const key of ['trainLoss', 'valLoss', 'trainError', 'valError', 'dense1']) points.set(key, []); add(m.snapshot.rows); }
    else if (m.type === 'append') add(m.rows);
    document.getElementById('header').textContent = m.type === 'append' ? m.header.status + ' epoch ' + m.header.epoch : '';
    for (const c of charts) c.update('none');
  });
  acquireVsCodeApi().postMessage({ type: 'ready' });
})();
`;

/**
 * The page: the panel's HTML (panel-html.ts) without the CSP, the vscode stub before the bundle, and
 * a driver after it that takes each message from the host worker, dispatches it to the panel and
 * times the panel's handler, then asks for the next one after the next frame and the host's pace.
 */
function pageHtml(kind: 'fitcheck' | 'peer'): string {
  const css = pathToFileURL(path.join(repoRoot, 'dist/webview/panel.css')).href;
  const js = pathToFileURL(path.join(repoRoot, 'dist/webview/webview.js')).href;
  const chartJs = pathToFileURL(path.join(repoRoot, 'node_modules/chart.js/dist/chart.umd.min.js')).href;
  const panel = kind === 'fitcheck' ? `<script src="${js}"></script>` : `<script src="${chartJs}"></script>\n<script>${PEER_PANEL}</script>`;
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
${panel}
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

/** What one streamed run in a fresh page measured. */
interface Streamed {
  handler: number[];
  delivery: number[];
  heapStart: number;
  heapPeak: number;
  heapEnd: number;
  heapAfterGc: number;
  reset: Timing;
  heapAfterReset: number;
  saves: number[];
  longTasks: number[];
  seconds: number;
}

/** Streams the whole run into a fresh page of `kind` and measures it. */
async function stream(browser: Browser, kind: 'fitcheck' | 'peer', file: string): Promise<Streamed> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    const cdp = await page.context().newCDPSession(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as BenchPage).__bench.posted().includes('ready'));
    const heapStart = await heapMb(cdp, true);
    const batches = Math.ceil(EPOCHS / BATCH);
    const started = performance.now();
    const { timings, heap } = await page.evaluate(
      ([source, pace, n]) => (globalThis as unknown as BenchPage).__bench.run(source, pace, n),
      [hostWorkerSource(EPOCHS, BATCH, LAYERS), PACE_MS, batches] as const,
    );
    const seconds = (performance.now() - started) / 1000;
    const heapEnd = await heapMb(cdp);
    const heapAfterGc = await heapMb(cdp, true);
    const reset = await page.evaluate(() => (globalThis as unknown as BenchPage).__bench.finalReset());
    const heapAfterReset = await heapMb(cdp, true);
    const saves = await page.evaluate(() => (globalThis as unknown as BenchPage).__bench.saves());
    const longTasks = await page.evaluate(() => (globalThis as unknown as BenchPage).__bench.longTasks());
    if (errors.length) throw new Error(`the ${kind} page threw: ${errors.join('; ')}`);
    return { handler: timings.map((t) => t.handler), delivery: timings.map((t) => t.delivery), heapStart, heapPeak: Math.max(...heap, heapEnd), heapEnd, heapAfterGc, reset, heapAfterReset, saves, longTasks, seconds };
  } finally {
    await page.close();
  }
}

/** Where the main thread's time goes in one more (unmeasured) Fitcheck run, under the CPU profiler: top self times. */
async function profileRun(browser: Browser, file: string): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  try {
    const cdp = await page.context().newCDPSession(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (globalThis as unknown as BenchPage).__bench.posted().includes('ready'));
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
    await page.evaluate(
      ([source, pace, n]) => (globalThis as unknown as BenchPage).__bench.run(source, pace, n),
      [hostWorkerSource(EPOCHS, BATCH, LAYERS), PACE_MS, Math.ceil(EPOCHS / BATCH)] as const,
    );
    const profile = (await cdp.send('Profiler.stop')).profile as unknown as Parameters<typeof topSelfTime>[0];
    return topSelfTime(profile, 8).map((t) => `| \`${t.name.replace(/\|/g, '\\|')}\` | ${t.ms.toFixed(1)} | ${(t.share * 100).toFixed(0)} % |`).join('\n');
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/webview/webview.js'))) throw new Error('dist/webview/webview.js is missing: run node esbuild.mjs');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing (${CHROMIUM}): npm run e2e:provision installs Debian's, or set FITCHECK_BENCH_CHROMIUM`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fitcheck-panel-bench-'));
  const files = { fitcheck: path.join(dir, 'panel.html'), peer: path.join(dir, 'peer.html') };
  fs.writeFileSync(files.fitcheck, pageHtml('fitcheck'));
  fs.writeFileSync(files.peer, pageHtml('peer'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const runs: { fitcheck: Streamed[]; peer: Streamed[] } = { fitcheck: [], peer: [] };
    const bench = new BenchRun('bench:panel', MAX_SPREAD);
    // Each round streams the whole run into a fresh Fitcheck panel and a fresh peer page; who goes first rotates.
    await interleave(ROUNDS, (['fitcheck', 'peer'] as const).map((kind) => ({
      name: kind,
      sample: async () => {
        const got = await stream(browser, kind, files[kind]);
        runs[kind].push(got);
        console.error(`  ${kind}: ${got.handler.length} updates in ${got.seconds.toFixed(0)} s`);
        return got.handler;
      },
    })));
    const handler = bench.measure('Fitcheck panel, update', runs.fitcheck.flatMap((r) => r.handler));
    const peerHandler = bench.measure('peer (plain chart.js), update', runs.peer.flatMap((r) => r.handler));
    const late = summarize(runs.fitcheck.flatMap((r) => r.handler.slice(Math.floor(r.handler.length * 0.9))));
    const first = summarize(runs.fitcheck.flatMap((r) => r.handler.slice(0, Math.ceil(r.handler.length / 10))));
    const peerLate = summarize(runs.peer.flatMap((r) => r.handler.slice(Math.floor(r.handler.length * 0.9))));
    const delivery = summarize(runs.fitcheck.flatMap((r) => r.delivery));
    const last = runs.fitcheck[runs.fitcheck.length - 1]!;
    const lastPeer = runs.peer[runs.peer.length - 1]!;
    const saves = runs.fitcheck.flatMap((r) => r.saves);
    const longTasks = runs.fitcheck.flatMap((r) => r.longTasks);
    const peerLongTasks = runs.peer.flatMap((r) => r.longTasks);
    const profile = process.env['FITCHECK_BENCH_PROFILE'] === '1' ? await profileRun(browser, files.fitcheck) : undefined;
    const ms = (x: number) => x.toFixed(1);
    const verdict = (ok: boolean) => (ok ? 'meets' : '**misses**');
    const batches = Math.ceil(EPOCHS / BATCH);
    const body = `## Run panel (\`npm run bench:panel\`)

The real webview bundle (dist/webview/webview.js, panel.css) in headless Chromium
(${CHROMIUM}, software rendering, viewport 1200×900), with \`acquireVsCodeApi\` stubbed as VS Code does it
(\`setState\` JSON-serializes the state). The host's messages: a \`reset\`, then ${batches.toLocaleString('en')} \`append\`s of ${BATCH} epochs
(${EPOCHS.toLocaleString('en')} epochs × ${SERIES} plotted series = **${(EPOCHS * SERIES).toLocaleString('en')} points**: train/val loss and error, one
layer's gradient norm; regimes and one insight in the header), posted by a worker standing in for the extension host, so each message
lands in the page's heap as one structured-clone copy, as in VS Code. ${PACE_MS > 0 ? `One message per ${PACE_MS} ms at most (the host's batcher: at most 10 a second, here ${BATCH * (1000 / PACE_MS)} epochs a second)` : 'Back to back (harder than the host, which sends at most 10 a second; FITCHECK_BENCH_PACE_MS=100 paces it so)'}, each after the previous one's frame was drawn.
Update time = main-thread time of the page's \`message\` handler (header, charts, downsampling and chart.js draw).
Peer, interleaved: the same messages drawn by plain chart.js (three line charts, no animation, pre-parsed data, chart.js's own
min-max decimation, \`update('none')\` per message) in its own fresh page. ${ROUNDS} rounds, each streaming the whole run into a fresh
Fitcheck panel and a fresh peer page (who goes first rotates). Noise bound: p90 ≤ ${MAX_SPREAD}× p50 for both (one update's work
varies with the message: the downsampled curves are rebuilt when a bucket fills), else nothing is recorded.
Measured ${new Date().toISOString().slice(0, 10)}; ${machine()}; ${bench.loadLine()}.

${summaryHeader('ms', 'update time')}
${summaryRow('Fitcheck panel', handler)}
${summaryRow('… last 10 % of each run', late)}
${summaryRow('… first 10 % of each run', first)}
${summaryRow('… message delivery (structured clone)', delivery)}
${summaryRow('peer: plain chart.js', peerHandler)}
${summaryRow('… last 10 % of each run', peerLate)}

Target: update p99 < ${TARGET_MS} ms: ${verdict(handler.p99 < TARGET_MS)}. Fitcheck / peer at p50: ${(handler.p50 / peerHandler.p50).toFixed(2)}×, at p99: ${(handler.p99 / peerHandler.p99).toFixed(2)}×.

| measure (last Fitcheck run unless noted) | value | target |
| --- | --- | --- |
| state save (\`setState\`, once a second), all runs | ${saves.length} saves, p50 ${ms(saves.length ? quantile(saves, 0.5) : 0)} ms, max ${ms(saves.length ? Math.max(...saves) : 0)} ms | |
| long tasks (> 50 ms), all runs: Fitcheck; peer | ${longTasks.length}, max ${ms(longTasks.length ? Math.max(...longTasks) : 0)} ms; ${peerLongTasks.length}, max ${ms(peerLongTasks.length ? Math.max(...peerLongTasks) : 0)} ms | |
| JS heap used, peak (sampled every 25 updates, garbage included); peer | ${last.heapPeak.toFixed(1)} MB; ${lastPeer.heapPeak.toFixed(1)} MB | < ${TARGET_HEAP_MB} MB: ${verdict(last.heapPeak < TARGET_HEAP_MB)} |
| JS heap live at the end (after a forced GC); empty panel; peer | ${last.heapAfterGc.toFixed(1)} MB (before GC ${last.heapEnd.toFixed(1)} MB); ${last.heapStart.toFixed(1)} MB; ${lastPeer.heapAfterGc.toFixed(1)} MB | < ${TARGET_HEAP_MB} MB: ${verdict(last.heapAfterGc < TARGET_HEAP_MB)} |
| re-open: one \`reset\` with all ${EPOCHS.toLocaleString('en')} rows; peer | ${ms(last.reset.handler)} ms (delivery ${ms(last.reset.delivery)} ms), heap after GC ${last.heapAfterReset.toFixed(1)} MB; ${ms(lastPeer.reset.handler)} ms | |
| one streamed run, wall time: Fitcheck; peer | ${last.seconds.toFixed(0)} s; ${lastPeer.seconds.toFixed(0)} s | |
${profile ? `
Where the main thread's time goes (one more, unmeasured Fitcheck run under the CPU profiler, self time, by source module of the
bundle; \`setState\` is the stub doing what VS Code's does):

| function | ms | share |
| --- | --- | --- |
${profile}
` : ''}`;
    bench.finish(repoRoot, body);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
