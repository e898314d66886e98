/**
 * Splits appended bytes into complete lines; a partial last line waits for the rest of it. Only the
 * new bytes are scanned for a newline: a line growing over many reads is kept as its pieces and
 * joined once, when it ends. A line longer than `maxLineChars` is dropped up to its newline (and
 * its number reported through `takeOverlong`), so one huge line can neither exhaust memory nor
 * exceed the longest string JavaScript can hold; the lines after it are read as usual.
 */
import { StringDecoder } from 'node:string_decoder';

/** The longest line kept (characters); metric lines are far shorter (a trainer's start event is a few KB). */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

export interface Line {
  /** 1-based line number. */
  line: number;
  text: string;
}

export class LineBuffer {
  /** The pieces of the unfinished last line, joined when its newline arrives. */
  private parts: string[] = [];
  private partLength = 0;
  /** The current line passed the limit: its bytes are dropped up to its newline. */
  private skipping = false;
  private overlong: number[] = [];
  // A multi-byte character split across two reads must not become two replacement characters.
  private decoder = new StringDecoder('utf8');
  /** 1-based number of the next complete line. */
  nextLine = 1;
  /** Characters scanned for newlines in all (each once: the cost of reading stays linear). */
  scannedChars = 0;

  constructor(readonly maxLineChars = MAX_LINE_CHARS) {}

  /** The complete lines in `bytes` (with their 1-based numbers), keeping an unfinished last line. */
  push(bytes: Uint8Array): Line[] {
    const chunk = this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.scannedChars += chunk.length;
    const out: Line[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      if (this.skipping) {
        this.skipping = false;
        this.nextLine += 1;
      } else if (this.partLength + nl - start > this.maxLineChars) {
        this.overlong.push(this.nextLine++);
      } else {
        const piece = chunk.slice(start, nl);
        const raw = this.parts.length > 0 ? this.parts.join('') + piece : piece;
        out.push({ line: this.nextLine++, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw });
      }
      this.parts = [];
      this.partLength = 0;
      start = nl + 1;
    }
    if (start < chunk.length && !this.skipping) {
      if (this.partLength + chunk.length - start > this.maxLineChars) {
        this.skipping = true;
        this.parts = [];
        this.partLength = 0;
        this.overlong.push(this.nextLine);
      } else {
        this.parts.push(chunk.slice(start));
        this.partLength += chunk.length - start;
      }
    }
    return out;
  }

  /** The unfinished last line, if any, which is then dropped. */
  takePartial(): Line | undefined {
    const end = this.decoder.end();
    if (this.skipping) {
      this.skipping = false;
      this.nextLine += 1;
      return undefined;
    }
    const rest = this.parts.join('') + end;
    this.parts = [];
    this.partLength = 0;
    return rest.length > 0 ? { line: this.nextLine++, text: rest } : undefined;
  }

  /** The numbers of the lines dropped for their length since the last call. */
  takeOverlong(): number[] {
    const list = this.overlong;
    this.overlong = [];
    return list;
  }

  reset(): void {
    this.parts = [];
    this.partLength = 0;
    this.skipping = false;
    this.overlong = [];
    this.decoder = new StringDecoder('utf8');
    this.nextLine = 1;
  }
}

/** The note for a line dropped for its length. */
export function overlongMessage(line: number, maxLineChars: number): string {
  return `line ${line} is longer than ${maxLineChars.toLocaleString('en-US')} characters, the most one line may hold; skipped`;
}
