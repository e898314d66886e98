/** Lookups in data tables by names read from the code. */

/** A table's entry for a name from the code: never one of Object's own members (`x.constructor(...)`, `activation='toString'`). */
export function ownEntry<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
