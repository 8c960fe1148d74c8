import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../backend/src/server';
import { SqliteStore } from '../../backend/src/store/sqlite/sqlite-store';
import { dumpSqlite, event, ORIGIN, tempDir } from './support/app';

/** Over a real socket and a real SQLite file. */
describe('startServer', () => {
  it('ingests and answers over HTTP, and keeps the data after it stops', async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'server.db');
    const server = await startServer({ databaseUrl: file, port: 0, host: '127.0.0.1' });
    const ws = await server.store.createWorkspace('Acme', Date.now());
    const site = await server.store.createSite(ws.id, [ORIGIN], Date.now());
    const { secret } = await server.store.createToken(ws.id, 'rep', null, Date.now());

    const batch = [event({ anonymousId: 'v-s', timestamp: new Date().toISOString() }), event({ type: 'identify', anonymousId: 'v-s', traits: { email: 'sock@acme.test' }, timestamp: new Date().toISOString() })];
    const posted = await fetch(`${server.url}/collect`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: ORIGIN }, body: JSON.stringify({ siteKey: site.key, batch }) });
    expect(posted.status).toBe(202);
    const lookup = await fetch(`${server.url}/api/leads?email=sock@acme.test`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(((await lookup.json()) as { leads: Record<string, { email: string }> }).leads['sock@acme.test']?.email).toBe('sock@acme.test');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.close();

    const reopened = await SqliteStore.open(file);
    expect((await reopened.findLeadsByEmails(ws.id, ['sock@acme.test'])).size).toBe(1);
    await reopened.close();
    tmp.remove();
  });

  it('lets an in-flight request finish before closing the database, and refuses new connections', async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'drain.db');
    const server = await startServer({ databaseUrl: file, port: 0, host: '127.0.0.1' });
    const ws = await server.store.createWorkspace('Acme', Date.now());
    const site = await server.store.createSite(ws.id, [ORIGIN], Date.now());
    const body = JSON.stringify({ siteKey: site.key, batch: [event({ timestamp: new Date().toISOString() })] });
    const { port } = new URL(server.url);

    const response = new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/collect', headers: { 'Content-Type': 'text/plain', Origin: ORIGIN, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write(body.slice(0, 20));
      // The rest of the body arrives after close() has begun.
      setTimeout(() => {
        req.end(body.slice(20));
      }, 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closed = server.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

    // The request that was mid-body when close() began still completes, and what it sent is committed.
    // (Which of the client's 'end' and the server's close callback runs first is not observable here.)
    expect(await response).toBe(202);
    await closed;
    expect(dumpSqlite(file).events).toHaveLength(1);
    tmp.remove();
  });
});
