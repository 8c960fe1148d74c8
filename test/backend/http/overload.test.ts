import { describe, expect, it } from 'vitest';
import { fixture } from '../support/app';

describe('the overload guard', () => {
  it('refuses ingest past the requests in flight with 503 and Retry-After, and admits again once they finish', async () => {
    const f = await fixture({ maxPendingIngest: 2 });
    try {
      const send = (i: number) =>
        f.app.request('/collect', {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain', Origin: 'https://www.acme.test' },
          body: JSON.stringify({ siteKey: f.site.key, batch: [{ type: 'page', messageId: `ov-${i}`, timestamp: new Date().toISOString(), anonymousId: 'v-ov' }] }),
        });
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => send(i)));
      expect(answers.map((r) => r.status)).toEqual([202, 202, 503, 503, 503, 503]);
      expect(answers[2]!.headers.get('retry-after')).toBe('1');
      expect(await answers[2]!.json()).toMatchObject({ error: 'overloaded' });
      expect((await send(9)).status).toBe(202);
      // The API is not ingest: never shed by this guard.
      expect((await f.app.request('/healthz')).status).toBe(200);
    } finally {
      await f.close();
    }
  });
});
