import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTs } from '../support/spawn';
import { tempDir } from '../support/app';

/** `npm run leadscore -- webhook add | list | remove` on a real database file. */
describe('cli: webhook', () => {
  it('adds (printing the secret once), lists without secrets, refuses a private URL, and removes', async () => {
    const tmp = tempDir();
    const db = join(tmp.dir, 'cli.db');
    const cli = (...args: string[]) => runTs('backend/src/cli.ts', [...args, '--db', db]);
    try {
      expect((await cli('workspace', 'create', 'Acme', '--json')).code).toBe(0);
      const added = await cli('webhook', 'add', '--url', 'https://hooks.example.com/ls', '--event', 'lead.tier_changed', '--event', 'model.changed', '--allow-private-webhooks', '--json');
      expect(added.code, added.stderr).toBe(0);
      const hook = JSON.parse(added.stdout) as { id: string; secret: string; events: string[] };
      expect(hook).toMatchObject({ id: expect.stringMatching(/^wh_/), secret: expect.stringMatching(/^whsec_/), events: ['lead.tier_changed', 'model.changed'] });

      const list = await cli('webhook', 'list');
      expect(list.stdout).toContain(hook.id);
      expect(list.stdout).not.toContain(hook.secret);

      const refused = await cli('webhook', 'add', '--url', 'https://169.254.169.254/latest', '--event', 'lead.merged');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('link-local');
      const badEvent = await cli('webhook', 'add', '--url', 'https://hooks.example.com/x', '--event', 'lead.exploded');
      expect(badEvent.code).toBe(2);

      expect((await cli('webhook', 'remove', hook.id)).code).toBe(0);
      expect((await cli('webhook', 'list')).stdout.trim()).toBe('no webhooks');
    } finally {
      tmp.remove();
    }
  });
});
