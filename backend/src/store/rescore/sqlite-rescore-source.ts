import Database from 'better-sqlite3';
import type { Outcome, Stage } from '../../../../shared/index';
import type { EventPlan } from './event-plan';
import { fingerprintNeedle, type LeadRange, type RescoreSource, type StoredLead } from './lead-range';

/**
 * Where the lead's row is (its rowid: the UPDATE then needs no lookup by id), and the stored
 * values the UPDATE compares with the row: every input of the score (SQLite has no hash
 * function to compare a digest instead; comparing text is a memcmp).
 */
export type SqliteGuard = [rowid: number, aggregate: string, attributes: string, stage: string, outcome: string | null, email: string | null];

const EVENT_IDS_PER_CHUNK = 32_768;
const LEADS_PER_PAGE = 2_500;

/** Event ids from `first` to `last`: the events a rescore reads (later ones are ingest's to score). */
export interface EventSpan {
  first: number;
  last: number;
}

/** A workspace's event chunks by lead range; see SqliteRescoreSource.eventChunksByRange. */
export interface EventChunks {
  count: number;
  /** Chunk i's JSON text for each lead range (null when it has no events there). */
  read(i: number): Promise<(string | null)[]>;
}

/** A read-only connection: WAL lets it read committed data while the store writes on its own. */
export function openReader(file: string): Database.Database {
  const reader = new Database(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma('cache_size = -65536');
  return reader;
}

/**
 * A rescore's reads on SQLite. `read` runs each statement: directly on a connection of its own,
 * or, on the store's one connection, between the store's transactions.
 */
export class SqliteRescoreSource implements RescoreSource<SqliteGuard> {
  constructor(
    private readonly db: Database.Database,
    private readonly read: <T>(statement: () => T) => Promise<T> = async (statement) => statement(),
  ) {}

  /** How many leads the range (open at both ends) holds. */
  async count(range: LeadRange): Promise<number> {
    return (await this.read(() => this.db.prepare(`select count(*) from leads where ${leadBounds(range)}`).pluck().get(bounds(range, {})))) as number;
  }

  /** Splits the range's leads (open at both ends) into `parts` ranges of (nearly) equal size. */
  async split(whole: LeadRange, parts: number): Promise<LeadRange[]> {
    const { workspaceId, below } = whole;
    const count = await this.count(whole);
    const nth = this.db.prepare(`select id from leads where ${leadBounds(whole)} order by id limit 1 offset @offset`).pluck();
    const n = Math.max(1, Math.min(parts, count));
    const ranges: LeadRange[] = [];
    let after: string | null = null;
    for (let k = 1; k <= n; k++) {
      // The last id of part k; a lead erased meanwhile only makes the parts a little uneven.
      const offset = Math.floor((k * count) / n) - 1;
      const until: string | null = k === n ? null : (((await this.read(() => nth.get(bounds(whole, { offset })))) as string | undefined) ?? null);
      ranges.push({ workspaceId, after, until, below });
      if (until === null) break;
      after = until;
    }
    return ranges;
  }

  async anyStale(range: LeadRange, fingerprint: string): Promise<boolean> {
    const statement = this.db.prepare(`select exists (select 1 from leads where ${leadBounds(range)} and instr(aggregate, @needle) = 0)`).pluck();
    return (await this.read(() => statement.get(bounds(range, { needle: fingerprintNeedle(fingerprint) })))) === 1;
  }

  /** The ids of the first and the last event, or null when there are none. */
  async eventSpan(): Promise<EventSpan | null> {
    // Two subqueries: SQLite reads one end of the primary key for each, but scans the table for min and max together.
    const [first, last] = (await this.read(() => this.db.prepare('select (select min(id) from events), (select max(id) from events)').raw(true).get())) as [number | null, number | null];
    return first === null || last === null ? null : { first, last };
  }

  async *eventChunks(workspaceId: string, plan: EventPlan): AsyncIterable<string> {
    const chunks = this.eventChunksByRange(workspaceId, plan, [], await this.eventSpan());
    for (let i = 0; i < chunks.count; i++) {
      const [chunk] = await chunks.read(i);
      if (chunk) yield chunk;
    }
  }

  /**
   * The event chunks (see EventPlan) of the ranges that `untils` splits the lead ids into (up to
   * untils[0], up to untils[1], ..., the rest). Chunk i holds the events with ids in the i-th
   * slice of EVENT_IDS_PER_CHUNK ids, read in one statement as one JSON text per lead range,
   * built by SQLite (group_concat skips the NULLs of the other ranges). NOT INDEXED keeps it a
   * scan of the table by id, and an aggregate over such a scan sees the rows in id order.
   */
  eventChunksByRange(workspaceId: string, plan: EventPlan, untils: string[], span: EventSpan | null): EventChunks {
    if (span === null || plan.names.length === 0) return { count: 0, read: async () => [] };
    const params: unknown[] = [];
    const param = (value: unknown) => (params.push(value), '?');
    // Parameters bind in the order they appear in the text: each function adds its own as it writes them.
    const code = () => `case name ${plan.names.map((name, i) => `when ${param(name)} then ${i}`).join(' ')} end`;
    const values = () => (plan.paths ? plan.paths.map((keys) => `',' || coalesce(properties -> ${param(`$.${keys.join('.')}`)}, 'null')`).join(' || ') : `',' || coalesce(properties, 'null')`);
    const properties = () => (plan.withProperties.length ? `|| case when name in (${plan.withProperties.map(param).join(', ')}) then ${values()} else '' end` : '');
    // Times are integers; a REAL's text form has 17 digits, enough to read back the same double.
    const event = () => `json_quote(lead_id) || ',' || ${code()} || ',' || at ${properties()}`;
    const inRange = (k: number) => [k > 0 ? `lead_id > ${param(untils[k - 1])}` : 'true', k < untils.length ? `lead_id <= ${param(untils[k])}` : 'true'].join(' and ');
    const columns = untils.length === 0 ? [event()] : Array.from({ length: untils.length + 1 }, (_, k) => `case when ${inRange(k)} then ${event()} end`);
    const statement = this.db
      .prepare(
        `select ${columns.map((column) => `'[' || group_concat(${column}, ',') || ']'`).join(', ')} from events not indexed
          where id > @from and id <= @to and name in (${plan.names.map(param).join(', ')}) and workspace_id = @workspaceId and lead_id is not null`,
      )
      .raw(true);
    return {
      count: Math.ceil((span.last - span.first + 1) / EVENT_IDS_PER_CHUNK),
      read: (i) => {
        const from = span.first - 1 + i * EVENT_IDS_PER_CHUNK;
        return this.read(() => statement.get(...params, { workspaceId, from, to: from + EVENT_IDS_PER_CHUNK }) as (string | null)[]);
      },
    };
  }

  /**
   * In storage (rowid) order rather than id order: ids are random, and the writes then go to
   * neighbouring rows, each page written in as few transactions as possible. The rowids come
   * from the index on (workspace, id), so other workspaces' rows are never read.
   */
  async *leads(range: LeadRange, fingerprint: string): AsyncIterable<StoredLead<SqliteGuard>[]> {
    const listed = this.db.prepare(`select rowid from leads where ${leadBounds(range)}`).pluck();
    const rowids = ((await this.read(() => listed.all(bounds(range, {})))) as number[]).sort((a, b) => a - b);
    // NOT INDEXED: each row by its rowid, never a walk along the workspace index.
    const page = this.db
      .prepare(
        `select id, email, attributes, stage, outcome, aggregate, instr(aggregate, @needle) > 0, rowid from leads not indexed
          where rowid in (select value from json_each(@rowids)) and ${leadBounds(range)}`,
      )
      .raw(true);
    const needle = fingerprintNeedle(fingerprint);
    for (let i = 0; i < rowids.length; i += LEADS_PER_PAGE) {
      const rows = (await this.read(() => page.all(bounds(range, { needle, rowids: JSON.stringify(rowids.slice(i, i + LEADS_PER_PAGE)) })))) as LeadRow[];
      if (rows.length > 0) yield rows.map(storedLead);
    }
  }
}

type LeadRow = [id: string, email: string | null, attributes: string, stage: Stage, outcome: Outcome | null, aggregate: string, current: number, rowid: number];

function storedLead([id, email, attributes, stage, outcome, aggregate, current, rowid]: LeadRow): StoredLead<SqliteGuard> {
  return { id, email, attributes, stage, outcome, aggregate: current ? aggregate : null, guard: [rowid, aggregate, attributes, stage, outcome, email] };
}

/** The range as a condition on the leads table, with the parameters of `bounds`. */
function leadBounds(range: LeadRange): string {
  return `workspace_id = @workspaceId and id > @after ${range.until === null ? '' : 'and id <= @until'} ${range.below === undefined ? '' : 'and model_version < @below'}`;
}

/** The range's bounds as named parameters ('' is below every lead id). */
function bounds(range: LeadRange, more: Record<string, unknown>): Record<string, unknown> {
  return {
    workspaceId: range.workspaceId,
    after: range.after ?? '',
    ...(range.until === null ? {} : { until: range.until }),
    ...(range.below === undefined ? {} : { below: range.below }),
    ...more,
  };
}
