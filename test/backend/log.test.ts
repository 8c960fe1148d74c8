import { describe, expect, it } from 'vitest';
import { requestLogLevel, SLOW_REQUEST_MS } from '../../backend/src/app';
import { createLogger } from '../../backend/src/log';
import { fixture } from './support/app';

describe('logs', () => {
  it('writes one JSON object per line with level, time, msg and the fields, and drops lines below the level', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.debug('hidden', { a: 1 });
    logger.info('listening', { url: 'http://127.0.0.1:8787' });
    logger.warn('slow', { ms: 1500 });
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', msg: 'listening', url: 'http://127.0.0.1:8787' });
    expect(Date.parse(first.time as string)).not.toBeNaN();
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warn', msg: 'slow', ms: 1500 });
  });

  it('keeps accepted ingest requests off the default level; refusals, failures and slow requests on it', () => {
    expect(requestLogLevel('/collect', 202, 0.3)).toBe('debug');
    expect(requestLogLevel('/v1/batch', 200, 1)).toBe('debug');
    expect(requestLogLevel('/email/open', 200, 1)).toBe('debug');
    expect(requestLogLevel('/collect', 400, 1)).toBe('info');
    expect(requestLogLevel('/collect', 503, 1)).toBe('warn');
    expect(requestLogLevel('/collect', 202, SLOW_REQUEST_MS)).toBe('warn');
    expect(requestLogLevel('/api/leads', 200, 3)).toBe('info');
  });

  it('logs no line for an accepted /collect at info, and one for a refused one', async () => {
    const lines: string[] = [];
    const f = await fixture({ logger: createLogger('info', (line) => lines.push(line)) });
    try {
      const send = (body: string) => f.app.request('/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: 'https://www.acme.test' }, body });
      const ok = await send(JSON.stringify({ siteKey: f.site.key, batch: [{ type: 'page', messageId: 'log-1', timestamp: new Date().toISOString(), anonymousId: 'v-log' }] }));
      expect(ok.status).toBe(202);
      expect(lines.filter((l) => l.includes('"msg":"request"'))).toEqual([]);
      expect((await send('{')).status).toBe(400);
      expect(lines.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as { status: number; level: string })).toMatchObject([{ status: 400, level: 'info' }]);
    } finally {
      await f.close();
    }
  });
});
