import { z, type ZodType } from 'zod';

type Json = Record<string, unknown>;

/**
 * A self-contained JSON Schema (2020-12, as OpenAPI 3.1 uses) for a zod schema: free-form JSON
 * values (z.json(), recursive) become `{}`, and local $defs are inlined so the schema can sit
 * anywhere in the OpenAPI document.
 */
export function jsonSchemaOf(schema: ZodType, io: 'input' | 'output'): Json {
  const generated = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    override: (ctx) => {
      if ((ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'lazy') {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Json)[key];
      }
    },
  }) as Json;
  const { $schema: _dialect, $defs, ...root } = generated;
  return inline(root, ($defs ?? {}) as Record<string, Json>, 0) as Json;
}

function inline(node: unknown, defs: Record<string, Json>, depth: number): unknown {
  if (Array.isArray(node)) return node.map((n) => inline(n, defs, depth));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as Json).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/') && depth < 8) {
    return inline(defs[ref.slice('#/$defs/'.length)] ?? {}, defs, depth + 1);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, defs, depth)]));
}
