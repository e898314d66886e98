/** Splits appended bytes into complete lines; a partial last line waits for the rest of it. */
import { StringDecoder } from 'node:string_decoder';

export class LineBuffer {
  private partial = '';
  // A multi-byte character split across two reads must not become two replacement characters.
  private decoder = new StringDecoder('utf8');
  /** 1-based number of the next complete line. */
  nextLine = 1;

  /** The complete lines in `bytes` (with their 1-based numbers), keeping an unfinished last line. */
  push(bytes: Uint8Array): { line: number; text: string }[] {
    const text = this.partial + this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    return parts.map((raw) => ({ line: this.nextLine++, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw }));
  }

  /** The unfinished last line, if any, which is then dropped. */
  takePartial(): { line: number; text: string } | undefined {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest.length > 0 ? { line: this.nextLine++, text: rest } : undefined;
  }

  reset(): void {
    this.partial = '';
    this.decoder = new StringDecoder('utf8');
    this.nextLine = 1;
  }
}
