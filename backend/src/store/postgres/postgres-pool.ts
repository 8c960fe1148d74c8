import { createHash } from 'node:crypto';
import pg from 'pg';

/** Pool limits: a few connections per instance, so N instances stay well under max_connections. */
const DEFAULT_POOL_MAX = 10;
const IDLE_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 30_000;

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export interface PostgresTarget {
  pool: pg.Pool;
  /** The schema named by `?schema=`, created on open; undefined means the server's search_path. */
  schema: string | undefined;
}

/**
 * Epoch-millisecond times and serial ids are int8 columns, which pg returns as strings by
 * default; every value we store fits in a double, so they come back as numbers. Set per pool,
 * not on pg's global registry, so other pg users in the process are unaffected.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Distinct statements one connection keeps prepared; past these, statements run unnamed, as before. */
const PREPARED_PER_CONNECTION = 200;
/** Statement texts seen lately in this process, with their names and how often they ran (the oldest forgotten first). */
const seenStatements = new Map<string, { name: string; runs: number }>();
const SEEN_STATEMENTS = 10 * PREPARED_PER_CONNECTION;

/** The statement's name once it has run before: a one-off shape (a 437-row upsert) never takes a connection's slot. */
function repeatedStatementName(text: string): string | undefined {
  let seen = seenStatements.get(text);
  if (!seen) {
    if (seenStatements.size >= SEEN_STATEMENTS) seenStatements.delete(seenStatements.keys().next().value!);
    seen = { name: `ls_${createHash('sha1').update(text).digest('base64url')}`, runs: 0 };
    seenStatements.set(text, seen);
  }
  seen.runs++;
  return seen.runs > 1 ? seen.name : undefined;
}

/**
 * A connection that prepares each parameterized statement it runs again, once, by a name derived
 * from its text, and from then on only binds and executes it: PostgreSQL neither parses nor plans it again (its
 * generic plan, after five custom ones). A batch lookup of 50 emails spent more time being
 * planned than executed. Statements without parameters (DDL, BEGIN, COMMIT) stay on the simple
 * protocol, and so do those whose columns a `*` picks: when a newer version adds a column during
 * a rolling deploy, PostgreSQL refuses a prepared statement whose result would change shape, but
 * replans one that names its columns.
 */
class PreparingClient extends pg.Client {
  readonly #prepared = new Set<string>();

  // pg's overloads cannot be restated in a subclass; Kysely calls query(text, values) and query(cursor).
  override query(...args: unknown[]): never {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && args.length === 2 && !text.includes('*')) {
      const name = repeatedStatementName(text);
      if (name && (this.#prepared.has(name) || this.#prepared.size < PREPARED_PER_CONNECTION)) {
        this.#prepared.add(name);
        return (super.query as unknown as (config: pg.QueryConfig) => never)({ name, text, values });
      }
    }
    return (super.query as unknown as (...a: unknown[]) => never)(...args);
  }
}

/**
 * A pool for a postgres:// URL. Besides libpq's parameters the URL may carry `schema=<name>`
 * (tables live in that schema, e.g. one per deployment or per test run) and `pool_max=<n>`.
 */
export function createPool(url: string): PostgresTarget {
  const parsed = new URL(url);
  const schema = takeParam(parsed, 'schema');
  const poolMax = takeParam(parsed, 'pool_max');
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`schema "${schema}" must be a plain SQL identifier (letters, digits, _)`);
  const max = poolMax === undefined ? DEFAULT_POOL_MAX : Number(poolMax);
  if (!Number.isInteger(max) || max < 2) throw new Error(`pool_max must be an integer >= 2 (a full rescore holds one connection while ingest uses others)`);

  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'leadscore',
    types,
    Client: PreparingClient,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', (error) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: 'postgres idle connection lost', error: error.message })}\n`));
  return { pool, schema };
}

function takeParam(url: URL, name: string): string | undefined {
  const value = url.searchParams.get(name);
  url.searchParams.delete(name);
  return value ?? undefined;
}

/** The URL with its password masked, for logs and progress output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable)';
  }
}
