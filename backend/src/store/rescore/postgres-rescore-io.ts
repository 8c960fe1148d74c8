import { sql, type Kysely } from 'kysely';
import type { RescoreIO } from './rescore-workspace';
import type { EventPlan } from './event-plan';
import { fingerprintNeedle, rescoreRange, type LeadRange, type RescoredLead, type RescoreSource, type StoredLead } from './lead-range';
import type { Db } from '../sql/schema';

/**
 * The row version read with the lead (its xmin, the transaction that wrote it): every UPDATE
 * writes a new version, so an unchanged xmin means an unchanged row.
 */
export type PostgresGuard = string;

const EVENT_IDS_PER_CHUNK = 32_768;
/** Building a chunk is most of the server's work in a rescore: two at once use two of its cores. */
const CHUNKS_IN_FLIGHT = 2;
const LEADS_PER_PAGE = 2_500;

/**
 * A PostgreSQL rescore. Reads run on pooled connections, not on the one that holds the rescore
 * lock, ahead of the scoring here, so the server builds the next chunks while this process
 * works; a batch is written by one UPDATE from a JSON array (far less to encode than arrays).
 */
export function postgresRescoreIO(pool: Db): RescoreIO<PostgresGuard> {
  const source = new PostgresRescoreSource(pool);
  return {
    rescore: (compiled, range, now) => rescoreRange(source, compiled, range, now),
    async write(trx, scored: RescoredLead<PostgresGuard>[], now, version) {
      if (scored.length === 0) return [];
      const values = JSON.stringify(scored.map(({ id, aggregate, stage, score, fit, engagement, tier, grade, guard }) => ({ id, aggregate, stage, score, fit, engagement, tier, grade, guard })));
      const { rows } = await sql<{ id: string }>`
        update leads set aggregate = coalesce(v.aggregate, leads.aggregate), stage = v.stage, score = v.score, fit = v.fit,
          engagement = v.engagement, tier = v.tier, grade = v.grade, scored_at = ${now}, model_version = ${version}
        from json_to_recordset(${values}::json)
          as v(id text, aggregate text, stage text, score float8, fit float8, engagement float8, tier text, grade text, guard text)
        where leads.id = v.id and leads.xmin = v.guard::xid
        returning leads.id`.execute(trx);
      const written = new Set(rows.map((row) => row.id));
      return scored.filter((lead) => !written.has(lead.id)).map((lead) => lead.id);
    },
  };
}

class PostgresRescoreSource implements RescoreSource<PostgresGuard> {
  constructor(private readonly db: Db) {}

  async anyStale(range: LeadRange, fingerprint: string): Promise<boolean> {
    const { rows } = await sql<{ stale: boolean }>`
      select exists (select 1 from leads where ${inRange(range)} and strpos(aggregate, ${fingerprintNeedle(fingerprint)}) = 0) as stale`.execute(this.db);
    return rows[0]?.stale === true;
  }

  /** The same JSON chunks as SQLite's (see EventPlan), built by the server, CHUNKS_IN_FLIGHT at a time. */
  async *eventChunks(workspaceId: string, plan: EventPlan): AsyncIterable<string> {
    const code = sql.join(plan.names.map((name, i) => sql`when ${name} then ${sql.raw(String(i))}`), sql` `);
    const value = (path: string[] | null) => (path ? sql`(properties::json #> ${path}::text[])::text` : sql`properties`);
    const values = sql.join((plan.paths ?? [null]).map((path) => sql`',' || coalesce(${value(path)}, 'null')`), sql` || `);
    const properties = plan.withProperties.length ? sql`|| case when name = any(${plan.withProperties}::text[]) then ${values} else '' end` : sql``;
    const read = async (from: number) => {
      const { rows } = await sql<{ chunk: string | null }>`
        select '[' || string_agg(to_json(lead_id)::text || ',' || case name ${code} end || ',' || at::text ${properties}, ',' order by id) || ']' as chunk
        from events
        where id > ${from} and id <= ${from + EVENT_IDS_PER_CHUNK} and name = any(${plan.names}::text[]) and workspace_id = ${workspaceId} and lead_id is not null`.execute(this.db);
      return rows[0]?.chunk ?? null;
    };
    const { rows } = await sql<{ first: number | null; last: number | null }>`select min(id) as first, max(id) as last from events`.execute(this.db);
    const { first, last } = rows[0] ?? { first: null, last: null };
    if (first === null || last === null) return;
    const pending: Promise<string | null>[] = [];
    let from = Number(first) - 1;
    const readAhead = () => {
      for (; from < Number(last) && pending.length < CHUNKS_IN_FLIGHT; from += EVENT_IDS_PER_CHUNK) pending.push(read(from));
    };
    try {
      readAhead();
      while (pending.length > 0) {
        const chunk = await pending.shift()!;
        readAhead();
        if (chunk) yield chunk;
      }
    } finally {
      // Reads still running when the caller stops have no one to report a failure to.
      for (const read of pending) read.catch(() => {});
    }
  }

  /** Each page is read while the one before is scored. */
  async *leads(range: LeadRange, fingerprint: string): AsyncIterable<StoredLead<PostgresGuard>[]> {
    const needle = fingerprintNeedle(fingerprint);
    const page = (after: string) =>
      sql<StoredLead<PostgresGuard>>`
        select id, email, attributes, stage, outcome, case when strpos(aggregate, ${needle}) > 0 then aggregate end as aggregate, xmin::text as guard
        from leads where ${inRange({ ...range, after })} order by id limit ${LEADS_PER_PAGE}`
        .execute(this.db)
        .then((result) => result.rows);
    let next = page(range.after ?? '');
    try {
      for (;;) {
        const rows = await next;
        const last = rows[rows.length - 1];
        if (rows.length === LEADS_PER_PAGE) next = page(last!.id);
        if (rows.length > 0) yield rows;
        if (rows.length < LEADS_PER_PAGE) return;
      }
    } finally {
      next.catch(() => {});
    }
  }
}

/** The leads of the range ('' is below every lead id). */
function inRange(range: LeadRange) {
  const conditions = [sql`leads.workspace_id = ${range.workspaceId}`, sql`leads.id > ${range.after ?? ''}`];
  if (range.until !== null) conditions.push(sql`leads.id <= ${range.until}`);
  if (range.below !== undefined) conditions.push(sql`leads.model_version < ${range.below}`);
  return sql.join(conditions, sql` and `);
}
