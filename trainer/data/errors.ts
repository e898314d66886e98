/** The error for data a spec names that cannot be used; its own module so the limits can extend it without an import cycle. */

export interface BadRow {
  line: number;
  message: string;
}

/** A data problem the user must fix; `badRows` lists the rows at fault. */
export class DataError extends Error {
  constructor(message: string, readonly badRows: BadRow[] = []) {
    super(message);
    this.name = 'DataError';
  }
}
