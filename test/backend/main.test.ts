import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { runTs, spawnTs, waitForOutput } from './support/spawn';
import { tempDir } from './support/app';

/** `npm start` as a user runs it: a real process on a fresh database file. */
describe('main.ts (npm start)', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  const start = (db: string) => {
    const child = spawnTs('backend/src/main.ts', ['--port', '0', '--host', '127.0.0.1', '--db', db], { LOG_LEVEL: 'info' });
    children.push(child);
    return child;
  };
  const stop = (child: ChildProcessWithoutNullStreams) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('exit', (code) => resolve({ code, stdout }));
      child.kill('SIGTERM');
    });

  it('bootstraps an empty database on first start, prints what a newcomer needs, and stops cleanly', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'data', 'first.db');
    const first = start(db);
    const out = await waitForOutput(first, (s) => s.includes('API docs:'));

    const url = /leadscore is running at (http:\/\/\S+)/.exec(out)![1]!;
    const siteKey = /<script defer src="(\S+)\/t\.js" data-site="(pk_\w+)"><\/script>/.exec(out);
    expect(siteKey![1]).toBe(url);
    const token = /^\s+(ls_rep_[A-Za-z0-9]{43})$/m.exec(out)![1]!;
    expect(out).toContain(`Demo site: ${url}/demo`);
    expect(out).toContain(`API docs:  ${url}/docs`);
    const logs = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { level: string; msg: string; time: string });
    expect(logs.find((l) => l.msg === 'listening')).toMatchObject({ level: 'info', url });

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const me = await fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { role: string }).role).toBe('rep');
    expect((await fetch(`${url}/docs`)).status).toBe(200);
    // The demo site accepts its own page's origin.
    const collected = await fetch(`${url}/collect`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Origin: url },
      body: JSON.stringify({ siteKey: siteKey![2], batch: [{ type: 'page', messageId: 'boot-1', timestamp: new Date().toISOString(), anonymousId: 'v' }] }),
    });
    expect(collected.status).toBe(202);

    const stopped = await stop(first);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('"msg":"stopped"');

    const second = start(db);
    const again = await waitForOutput(second, (s) => s.includes('"msg":"listening"'));
    const url2 = /"url":"(http:\/\/[^"]+)"/.exec(again)![1]!;
    expect(((await (await fetch(`${url2}/api/me`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { role: string }).role).toBe('rep');
    const rest = await stop(second);
    expect(again + rest.stdout).not.toContain('ls_rep_');
    tmp.remove();
  });

  it('refuses bad settings with a clear message', async () => {
    const result = await runTs('backend/src/main.ts', ['--port', 'eighty'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--port');
  });
});
