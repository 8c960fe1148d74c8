/**
 * The honest floor for "committed before the 202": a node:http server that reads the body,
 * JSON.parse-s it, and inserts the batch's events as rows in SQLite (WAL, synchronous=NORMAL, as
 * leadscore's store) in one transaction per commit group: every request whose body arrived in
 * the same turn of the event loop shares one commit, as leadscore's commit groups do. It
 * deduplicates by (site, messageId) like the product, and does nothing else: no validation, no
 * identity, no scoring. Prints its URL on stdout. DURABLE_DB: the database file.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';

const db = new Database(process.env.DURABLE_DB!);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`create table if not exists events (
  id integer primary key, site text not null, message_id text not null, type text not null, name text,
  anonymous_id text, properties text, at integer not null, received_at integer not null)`);
db.exec('create unique index if not exists events_unique on events (site, message_id)');
const insert = db.prepare('insert or ignore into events (site, message_id, type, name, anonymous_id, properties, at, received_at) values (?, ?, ?, ?, ?, ?, ?, ?)');

interface Pending {
  batch: { siteKey: string; batch: { type: string; event?: string; messageId: string; anonymousId?: string; properties?: unknown; timestamp: string }[] };
  res: http.ServerResponse;
}

let group: Pending[] = [];
const commitGroup = db.transaction((requests: Pending[], now: number) => {
  for (const { batch } of requests) {
    for (const e of batch.batch) insert.run(batch.siteKey, e.messageId, e.type, e.event ?? null, e.anonymousId ?? null, e.properties ? JSON.stringify(e.properties) : null, Date.parse(e.timestamp), now);
  }
});

function commit(): void {
  const requests = group;
  group = [];
  commitGroup(requests, Date.now());
  for (const { batch, res } of requests) {
    res.writeHead(202, { 'Content-Type': 'application/json' });
    res.end(`{"accepted":${batch.batch.length},"duplicates":0}`);
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const batch = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Pending['batch'];
    if (group.length === 0) setImmediate(commit);
    group.push({ batch, res });
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
