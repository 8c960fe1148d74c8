import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collect, event, fixture, jsonRequest, type Fixture } from '../../support/app';

/** Which of `markers` appear anywhere in the raw bytes of the database, its WAL and its shared-memory index. */
function markersOnDisk(file: string, markers: string[]): string[] {
  const files = [file, `${file}-wal`, `${file}-shm`].filter(existsSync);
  const bytes = files.map((f) => readFileSync(f));
  return markers.filter((m) => bytes.some((b) => b.includes(Buffer.from(m))));
}

describe('erasing a lead on SQLite', () => {
  it('leaves none of its text in the database file or its WAL, before and after close', async () => {
    const f: Fixture = await fixture();
    const hex = () => randomBytes(8).toString('hex');
    const m = { visitor: `v-${hex()}`, email: `e${hex()}@acme.test`, name: `Name ${hex()}`, prop: `prop-${hex()}`, trait: `trait-${hex()}`, title: `Title ${hex()}`, event: `Event ${hex()}`, attr: `attr-${hex()}` };
    const markers = Object.values(m);
    const batch = [
      event({ anonymousId: m.visitor, context: { page: { path: '/pricing', title: m.title } }, properties: { plan: m.prop } }),
      event({ anonymousId: m.visitor, type: 'identify', traits: { email: m.email, name: m.name, title: m.trait } }),
      event({ anonymousId: m.visitor, type: 'track', event: m.event, properties: { note: m.prop } }),
    ];
    expect((await collect(f.app, { siteKey: f.site.key, batch })).status).toBe(202);
    const lead = (await f.store.findLeadsByEmails(f.workspace.id, [m.email])).get(m.email)!;
    // A rep's edit rewrites the lead's row: its earlier versions must not survive either.
    expect((await jsonRequest(f.app, 'PATCH', `/api/leads/${lead.id}`, f.repToken, { attributes: { note: m.attr } })).status).toBe(200);
    // Pages the erase will zero have been checkpointed into the main file once, as a long-running server does.
    await f.store.rescoreAll(f.workspace.id, Date.now());
    expect(markersOnDisk(f.file, markers)).toEqual(markers);

    expect((await jsonRequest(f.app, 'DELETE', `/api/leads/${lead.id}`, f.adminToken)).status).toBe(200);
    expect(markersOnDisk(f.file, markers)).toEqual([]);
    await f.store.close();
    expect(markersOnDisk(f.file, markers)).toEqual([]);
    await f.close();
  });
});
