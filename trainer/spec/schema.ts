/** The run-spec JSON schema (schemas/fitrun.schema.json) and its validator, compiled at build time. */
import type { ValidateFunction } from 'ajv';
import schemaJson from '../../schemas/fitrun.schema.json' with { type: 'json' };
import { validate } from './fitrun-validator.generated.js';

/** The schema as a plain object, for looking up the rules behind an error. */
export const fitrunSchema: Record<string, unknown> = schemaJson as Record<string, unknown>;

/**
 * The validator (scripts/compile-schema.mjs generates it with Ajv, so nothing compiles the schema at
 * run time); it fills in the schema's defaults as it validates (so the schema is the one source of
 * defaults). `verbose` makes each error carry the schema it broke (`parentSchema`).
 */
export function schemaValidator(): ValidateFunction {
  return validate as unknown as ValidateFunction;
}

/** The schema object at a JSON pointer such as `#/definitions/dense/properties/rate`. */
export function schemaAt(pointer: string): Record<string, unknown> | undefined {
  let node: unknown = fitrunSchema;
  for (const raw of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
    // Follow a reference so callers see the referenced schema's keywords.
    while (typeof node === 'object' && node !== null && typeof (node as { $ref?: unknown }).$ref === 'string' && !('properties' in node)) {
      const target = schemaAt((node as { $ref: string }).$ref);
      if (!target) break;
      node = { ...target, ...(node as object) };
      delete (node as { $ref?: unknown }).$ref;
    }
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : undefined;
}
