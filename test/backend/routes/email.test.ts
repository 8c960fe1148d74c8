import { afterEach, describe, expect, it } from 'vitest';
import { emailLinks } from '../../../backend/src/domain/email-links';
import { apiError, fixture, rowCounts, type Fixture } from '../support/app';

describe('email open pixel and signed click redirect', () => {
  let f: Fixture;
  afterEach(async () => {
    await f.close();
  });

  async function links(target = 'https://www.acme.test/offer?x=1', campaign?: string) {
    const secret = await f.store.linkSecret(f.workspace.id);
    const made = emailLinks('http://localhost', secret, { siteKey: f.site.key, email: 'Ann@Acme.test', campaign }, target);
    return { open: made.openPixelUrl.replace('http://localhost', ''), click: made.clickUrl!.replace('http://localhost', '') };
  }

  it('serves the pixel and records an open for the recipient', async () => {
    f = await fixture();
    const response = await f.app.request((await links(undefined, 'may-newsletter')).open);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(new Uint8Array(await response.arrayBuffer()).slice(0, 6)).toEqual(new TextEncoder().encode('GIF89a'));
    const lead = (await f.store.findLeadsByEmails(f.workspace.id, ['ann@acme.test'])).get('ann@acme.test')!;
    const { events } = await f.store.timeline(f.workspace.id, lead.id, { limit: 5 });
    expect(events).toMatchObject([{ name: 'Email Opened', properties: { campaign: 'may-newsletter' } }]);
  });

  it('records a click and redirects to the signed target', async () => {
    f = await fixture();
    const response = await f.app.request((await links()).click);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://www.acme.test/offer?x=1');
    const lead = (await f.store.findLeadsByEmails(f.workspace.id, ['ann@acme.test'])).get('ann@acme.test')!;
    expect((await f.store.timeline(f.workspace.id, lead.id, { limit: 5 })).events).toMatchObject([{ name: 'Email Link Clicked', properties: { url: 'https://www.acme.test/offer?x=1' } }]);
    expect(lead.engagement).toBeGreaterThan(0);
  });

  it('never redirects to a target it did not sign', async () => {
    f = await fixture();
    const { click, open } = await links();
    const tampered = [
      click.replace(encodeURIComponent('https://www.acme.test/offer?x=1'), encodeURIComponent('https://evil.test/phish')),
      click.replace('ann%40acme.test', 'bob%40acme.test'),
      click.replace(/sig=[^&]+/, 'sig=AAAA'),
      click.replace(/&sig=[^&]+/, ''),
      // An open's signature does not sign a click.
      `${click.replace(/&sig=[^&]+/, '')}&sig=${new URL(`http://x${open}`).searchParams.get('sig')}`,
      click.replace(`s=${f.site.key}`, `s=${f.other.site.key}`),
    ];
    for (const url of tampered) {
      const response = await f.app.request(url);
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    }
    await apiError(await f.app.request(tampered[0]!), 400, 'bad_signature');
    expect(rowCounts(f.file).events).toBe(0);
  });

  it('refuses links to anything but http(s), and missing parameters', async () => {
    f = await fixture();
    const secret = await f.store.linkSecret(f.workspace.id);
    const js = emailLinks('http://localhost', secret, { siteKey: f.site.key, email: 'a@acme.test' }, 'javascript:alert(1)').clickUrl!;
    await apiError(await f.app.request(js.replace('http://localhost', '')), 400, 'invalid_link');
    await apiError(await f.app.request('/email/open?s=x'), 400, 'invalid_link');
    await apiError(await f.app.request('/email/click'), 400, 'invalid_link');
    expect(rowCounts(f.file).events).toBe(0);
  });
});
