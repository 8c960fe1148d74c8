import { describe, expect, it } from 'vitest';
import { loadTracker, scriptTag } from './support/harness';

describe('config from the script tag', () => {
  it('defaults the API to the script origin and every kind of capture to on', async () => {
    const { config } = await loadTracker();
    config.readConfig(scriptTag('https://leads.example.com/t.js', { site: 'site_1' }));
    expect(config.options).toMatchObject({ site: 'site_1', api: 'https://leads.example.com', downloads: config.DEFAULT_DOWNLOADS });
    for (const kind of ['pageviews', 'outbound', 'downloads', 'forms', 'engagement']) expect(config.captures(kind)).toBe(true);
    expect(config.hashRouting()).toBe(false);
  });

  it('reads every data-* option', async () => {
    const { config } = await loadTracker();
    config.readConfig(
      scriptTag('https://cdn.example.com/t.js', {
        site: 'site_2',
        api: 'https://api.example.com',
        hash: 'true',
        downloads: 'pdf|epub',
        'respect-dnt': 'false',
        consent: 'required',
        'no-capture': 'forms engagement',
        localhost: 'true',
      }),
    );
    expect(config.options).toMatchObject({
      api: 'https://api.example.com',
      downloads: 'pdf|epub',
      respectDnt: 'false',
      consent: 'required',
      localhost: 'true',
    });
    expect(config.hashRouting()).toBe(true);
    expect(config.captures('forms')).toBe(false);
    expect(config.captures('engagement')).toBe(false);
    expect(config.captures('outbound')).toBe(true);
  });

  it('the default download extensions match documents and installers, not pages', async () => {
    const { config } = await loadTracker();
    const download = RegExp(`\\.(${config.DEFAULT_DOWNLOADS})$`, 'i');
    for (const path of ['/a.pdf', '/b.DOCX', '/c.xls', '/d.pptx', '/e.zip', '/f.dmg', '/g.exe']) expect(download.test(path)).toBe(true);
    for (const path of ['/pdf', '/a.html', '/a.pdfx', '/']) expect(download.test(path)).toBe(false);
  });
});
