/**
 * A group's facts at the file's lines. The copy is made once; when the group moves (an edit above it
 * adds or removes lines) only its line numbers are set again, in place, from a list of where they
 * sit: no walk of the facts and no new objects on each keystroke.
 */

/** Fact ids name where their call is (`model@12:4`): moved with it, they stay unique across groups. */
const ID = /^(\w+)@(\d+):(\d+)$/;

export class PlacedFacts<T> {
  /** The copy, at the lines of the last {@link move}. Shared with what reads it until the next move. */
  readonly facts: T;
  // Where each line number sits in the copy (object and key) and its line in the group's program.
  private readonly lineHolders: Record<string, unknown>[] = [];
  private readonly lineKeys: string[] = [];
  private readonly programLines: number[] = [];
  // The same for ids: name and column kept, line mapped.
  private readonly idHolders: Record<string | number, unknown>[] = [];
  private readonly idKeys: (string | number)[] = [];
  private readonly idNames: string[] = [];
  private readonly idLines: number[] = [];
  private readonly idColumns: string[] = [];

  /**
   * Copies `source` (plain data: objects, arrays, strings, numbers, booleans) with every line number
   * (`line`, `endLine`, and the line in an id) mapped by `map`; objects shared within the facts stay
   * shared in the copy (rules may compare facts by identity).
   */
  constructor(source: T, map: (line: number) => number) {
    this.facts = this.copy(source, new Map()) as T;
    this.move(map);
  }

  /** Sets every line number of the copy to `map` of its program line. */
  move(map: (line: number) => number): void {
    for (let i = 0; i < this.lineHolders.length; i++) this.lineHolders[i]![this.lineKeys[i]!] = map(this.programLines[i]!);
    for (let i = 0; i < this.idHolders.length; i++) {
      this.idHolders[i]![this.idKeys[i]!] = `${this.idNames[i]}@${map(this.idLines[i]!)}:${this.idColumns[i]}`;
    }
  }

  private copy(value: unknown, copies: Map<object, unknown>): unknown {
    if (value === null || typeof value !== 'object') return value;
    const done = copies.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const copy: unknown[] = new Array(value.length);
      copies.set(value, copy);
      for (let i = 0; i < value.length; i++) copy[i] = this.item(value[i], copy as unknown as Record<number, unknown>, i, copies);
      return copy;
    }
    const copy: Record<string, unknown> = {};
    copies.set(value, copy);
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const item = record[key];
      if (typeof item === 'number' && (key === 'line' || key === 'endLine')) {
        this.lineHolders.push(copy);
        this.lineKeys.push(key);
        this.programLines.push(item);
        copy[key] = item;
      } else copy[key] = this.item(item, copy, key, copies);
    }
    return copy;
  }

  /** One member of an object or array: ids are noted to be moved, objects copied, the rest kept. */
  private item(item: unknown, holder: Record<string | number, unknown>, key: string | number, copies: Map<object, unknown>): unknown {
    if (typeof item === 'string') {
      const id = item.indexOf('@') > 0 ? ID.exec(item) : null;
      if (id) {
        this.idHolders.push(holder);
        this.idKeys.push(key);
        this.idNames.push(id[1]!);
        this.idLines.push(Number(id[2]));
        this.idColumns.push(id[3]!);
      }
      return item;
    }
    return this.copy(item, copies);
  }
}
