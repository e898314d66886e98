/**
 * Picks the TensorFlow.js backend: tfjs-node (native TensorFlow) when it can be loaded, else the
 * wasm backend, else the pure-JavaScript cpu backend. `--backend` forces one.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tf } from './tf.js';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface LoadedBackend {
  tf: Tf;
  /** The backend running: `tensorflow` (tfjs-node), `wasm` or `cpu`. */
  backend: string;
  versions: Record<string, string>;
  /** Why a preferred backend was not used, for the run's notes. */
  notes: string[];
}

export interface BackendOptions {
  /** Folder holding tfjs-backend-wasm's .wasm files (default: next to this bundle, else the package). */
  wasmDir?: string;
}

/** The WASM files the wasm backend needs next to a bundle. */
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Loads and initializes a backend; throws only when a forced backend cannot be loaded. */
export async function loadBackend(choice: BackendChoice = 'auto', options: BackendOptions = {}): Promise<LoadedBackend> {
  const notes: string[] = [];
  if (choice === 'auto' || choice === 'tensorflow') {
    try {
      return await loadTfjsNode(notes);
    } catch (error) {
      if (choice === 'tensorflow') throw new Error(`the tensorflow backend needs @tensorflow/tfjs-node, which could not be loaded: ${firstLine(error)}`, { cause: error });
    }
  }
  const tf = await loadTfjs();
  if (choice === 'auto' || choice === 'wasm') {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(withSlash(options.wasmDir ?? defaultWasmDir()));
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialize');
      await tf.ready();
      return finish(tf, notes, { 'tfjs-backend-wasm': wasm.version_wasm });
    } catch (error) {
      if (choice === 'wasm') throw new Error(`the wasm backend could not be loaded: ${firstLine(error)}`, { cause: error });
      notes.push(`wasm backend unavailable (${firstLine(error)}); using cpu`);
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialize');
  await tf.ready();
  return finish(tf, notes, {});
}

async function loadTfjsNode(notes: string[]): Promise<LoadedBackend> {
  // A variable specifier keeps bundlers from resolving the optional package at build time.
  const name = '@tensorflow/tfjs-node';
  const mod = (await import(name)) as { default?: Tf } & Tf;
  const tf = (mod.default && typeof mod.default.tensor === 'function' ? mod.default : mod) as Tf;
  await tf.setBackend('tensorflow');
  await tf.ready();
  return finish(tf, notes, { 'tfjs-node': String((mod as unknown as { version?: Record<string, string> }).version?.['tfjs-node'] ?? 'unknown') });
}

// tfjs-core with its gradients and the cpu backend is all the trainer uses: the full @tensorflow/tfjs
// would add layers, converter, data and webgl to the bundle for nothing.
async function loadTfjs(): Promise<Tf> {
  const mod = (await import('@tensorflow/tfjs-core')) as unknown as { default?: Tf } & Tf;
  await registerGradients();
  await import('@tensorflow/tfjs-backend-cpu');
  return (mod.default && typeof mod.default.tensor === 'function' ? mod.default : mod) as Tf;
}

/**
 * Registers tfjs-core's gradients. Its registration module is published as ES modules with
 * extension-less imports: the bundle resolves them; plain Node (the compiled tests) cannot, and
 * there the full tfjs package, a development dependency, registers the same gradients.
 */
async function registerGradients(): Promise<void> {
  try {
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    const full = '@tensorflow/tfjs';
    await import(full);
  }
}

function finish(tf: Tf, notes: string[], extra: Record<string, string>): LoadedBackend {
  // Production mode skips per-op debug checks and the "install tfjs-node" console banner.
  tf.enableProdMode();
  return { tf, backend: tf.getBackend(), versions: { tfjs: tf.version_core, ...extra, node: process.versions.node }, notes };
}

/** The .wasm files next to the running bundle when they were copied there, else in the installed package. */
export function defaultWasmDir(): string {
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    if (fs.existsSync(path.join(here, WASM_FILES[0]!))) return here;
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_FILES[0]}`));
  } catch {
    return path.join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  }
}

function withSlash(dir: string): string {
  return dir.endsWith(path.sep) || dir.endsWith('/') ? dir : `${dir}${path.sep}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
