/**
 * TensorBoard event files (`events.out.tfevents.*`): TFRecord records holding `Event` messages.
 * Scalars come in two encodings: the legacy `simple_value` (TF1, PyTorch's SummaryWriter,
 * tensorboardX) and TF2's one-element `tensor` with the `scalars` plugin (tf.summary, the Keras
 * callback). TF2 writes a tag's plugin metadata only with its first value, so it is remembered per tag.
 */
import { decodeEventRecord, tensorScalar, type SummaryValueData } from '../tfevents/proto.js';
import { visitRecords, type SkippedBytes } from '../tfevents/tfrecord.js';
import { errorText, FileTail } from './file-tail.js';
import { emitPoint, readAppended, type MetricsReader, type PointSink, type ReaderUpdate } from './reader.js';

export { isEventFileName } from './event-file-name.js';

const SKIP_WORDS: Record<SkippedBytes['reason'], string> = {
  'bad-length-crc': 'bytes that are not a valid record (bad length checksum)',
  'bad-data-crc': 'a record whose data checksum does not match',
  truncated: 'an incomplete record at the end of the file',
};

export class EventFileReader implements MetricsReader {
  private readonly tail: FileTail;
  private pending: Buffer = Buffer.alloc(0);
  /** Byte offset in the file of `pending[0]`. */
  private pendingAt = 0;
  private readonly plugins = new Map<string, string>();
  /** Garbage reaching the end of the last read, reported once it ends. */
  private openGarbage: SkippedBytes | undefined;
  /** Records read, and records that were not `Event` messages. */
  records = 0;
  undecodable = 0;

  constructor(readonly file: string, maxRead?: number) {
    this.tail = new FileTail(file, maxRead);
  }

  poll(final: boolean, sink?: PointSink): ReaderUpdate {
    // The unconsumed tail of the last read goes first, written by the read into its own buffer (a
    // concatenation copied every 8 MiB step, a seventh of the parsing time).
    const { update, bytes } = readAppended(this.tail, this.file, this.pending);
    if (!bytes) return update;
    if (update.restarted) {
      this.pending = Buffer.alloc(0);
      this.pendingAt = 0;
      this.plugins.clear();
      this.openGarbage = undefined;
    }
    const scan = visitRecords(bytes, final && !update.more, (record) => this.decode(record, update, sink));
    const skipped = scan.skipped.map((s) => ({ ...s, offset: this.pendingAt + s.offset }));
    // Garbage that runs into the end of what was read may go on in the next read: report the run once, whole.
    const first = skipped[0];
    if (this.openGarbage && first?.reason === 'bad-length-crc' && first.offset === this.openGarbage.offset + this.openGarbage.bytes) {
      first.offset = this.openGarbage.offset;
      first.bytes += this.openGarbage.bytes;
    } else if (this.openGarbage) {
      skipped.unshift(this.openGarbage);
    }
    this.openGarbage = undefined;
    const last = skipped[skipped.length - 1];
    if (last?.reason === 'bad-length-crc' && last.offset + last.bytes === this.pendingAt + scan.consumed && !(final && !update.more)) this.openGarbage = skipped.pop();
    for (const skip of skipped) {
      update.issues.push({ file: this.file, message: `skipped ${skip.bytes} bytes at offset ${skip.offset}: ${SKIP_WORDS[skip.reason]}` });
    }
    // Keep only the unconsumed tail (copied: the read's buffer is reused or freed).
    this.pending = Buffer.from(bytes.subarray(scan.consumed));
    this.pendingAt += scan.consumed;
    return update;
  }

  private decode(record: Uint8Array, update: ReaderUpdate, sink: PointSink | undefined): void {
    this.records += 1;
    let event;
    try {
      // Each record decodes from its own view: a malformed one cannot read into the next.
      event = decodeEventRecord(record);
    } catch (error) {
      this.undecodable += 1;
      // One line per file is enough to say what happened; the count is in the reader.
      if (this.undecodable === 1) update.issues.push({ file: this.file, message: `a record with a valid checksum is not an Event message (${errorText(error)})` });
      return;
    }
    const values = event.summary?.value;
    if (!values) return;
    const step = Number(event.step ?? 0);
    const wallTime = event.wallTime ?? Number.NaN;
    for (const value of values) {
      const tag = value.tag ?? '';
      const scalar = this.scalarOf(tag, value);
      if (scalar !== undefined) emitPoint(update, sink, tag, step, scalar, wallTime);
    }
  }

  private scalarOf(tag: string, value: SummaryValueData): number | undefined {
    const plugin = value.metadata?.pluginData?.pluginName;
    if (plugin !== undefined && plugin !== '' && !this.plugins.has(tag)) this.plugins.set(tag, plugin);
    // protobufjs puts field defaults on the prototype: only an own property was on the wire.
    if (Object.hasOwn(value, 'simpleValue')) return value.simpleValue;
    if (!value.tensor) return undefined;
    const known = this.plugins.get(tag);
    // A one-number tensor from another plugin (a text or PR-curve summary) is not a scalar series.
    if (known !== undefined && known !== 'scalars') return undefined;
    return tensorScalar(value.tensor);
  }
}
