import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../../../../shared/schemas/text';
import { DomainError } from '../../domain/errors';

const isPlain = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === Array.prototype || proto === null;
};

/**
 * True when some string in the query's tree (its bound values included) cannot be stored. Loops
 * rather than Object.values().some(): it runs on every query, and allocating an array per node
 * made it a tenth of an ingest request's CPU.
 */
function hasUnstorable(node: unknown): boolean {
  if (typeof node === 'string') return !isStorableText(node);
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) if (hasUnstorable(node[i])) return true;
    return false;
  }
  if (!isPlain(node)) return false;
  for (const key in node) if (hasUnstorable((node as Record<string, unknown>)[key])) return true;
  return false;
}

/** Refuses (as the plugin does) values, at any depth, with a string no store can keep: for writes that bypass Kysely. */
export function refuseUnstorable(values: unknown): void {
  if (hasUnstorable(values)) throw new DomainError('invalid', 'invalid_text', `a value ${UNSTORABLE_TEXT_MESSAGE}`);
}

/**
 * Defence in depth behind the schemas (shared/schemas/text.ts): text that would make PostgreSQL
 * fail (NUL) or that the driver would silently change (lone surrogates) never reaches either
 * database. It is refused as the client's mistake (400), like the same text caught at the edge.
 */
export class StorableTextPlugin implements KyselyPlugin {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    refuseUnstorable(node);
    return node;
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}
