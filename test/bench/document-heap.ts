/** Memory per open document, for the lint and edit benchmarks. */
import type { Linter } from '../../analyzers/linter.js';

/** Whatever lints into open documents: this build's Linter or a peer build's. */
export type DocumentLinter = Pick<Linter, 'lint' | 'openDocument'>;

/** Memory held per open document of `text` (the tree copy and its caches), from ten documents; needs --expose-gc. */
export function documentHeap(linter: DocumentLinter, text: string): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  gc();
  // The compact trees live in array buffers, outside the JS heap: both count.
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const before = used();
  const documents = Array.from({ length: 10 }, (_, i) => {
    const document = linter.openDocument();
    linter.lint(`${text}\n# copy ${i}\n`, {}, document);
    return document;
  });
  gc();
  gc();
  const held = (used() - before) / documents.length;
  for (const document of documents) document.dispose();
  return held;
}
