/** Which files are TensorBoard event files, by name: known without loading the event-file reader (and protobufjs). */

/** Whether a file name is a TensorBoard event file: TensorBoard's rule (the name holds "tfevents"), minus source and text files. */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents') && !/\.(js|mjs|cjs|ts|map|py|ipynb|md|json|txt|html|csv|tsv)$/i.test(name);
}
