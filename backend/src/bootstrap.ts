import { DEMO_SITE_SETTING } from './app';
import type { Store } from './store/store';

export interface Bootstrap {
  workspaceId: string;
  siteKey: string;
  repToken: string;
  scriptTag: string;
  demoUrl: string;
  docsUrl: string;
}

/** The origins a browser may use for this backend's own pages (/demo). */
function ownOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const origins = new Set([url.origin]);
  if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') {
    for (const host of ['localhost', '127.0.0.1']) origins.add(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
  }
  return [...origins];
}

/**
 * First start on an empty database: a workspace, a site for the demo (and the backend's own
 * origin), and a rep token. Returns what to print; the token is never shown again.
 */
export async function bootstrap(store: Store, publicUrl: string, now: number): Promise<Bootstrap> {
  const workspace = await store.createWorkspace('Default workspace', now);
  const site = await store.createSite(workspace.id, ownOrigins(publicUrl), now);
  await store.setSetting(DEMO_SITE_SETTING, site.key);
  const { secret } = await store.createToken(workspace.id, 'rep', 'first rep token', now);
  return {
    workspaceId: workspace.id,
    siteKey: site.key,
    repToken: secret,
    scriptTag: `<script defer src="${publicUrl}/t.js" data-site="${site.key}"></script>`,
    demoUrl: `${publicUrl}/demo`,
    docsUrl: `${publicUrl}/docs`,
  };
}

export function bootstrapBanner(url: string, b: Bootstrap): string {
  return [
    '',
    `leadscore is running at ${url}`,
    '',
    "Paste this into your site's <head>:",
    `  ${b.scriptTag}`,
    'and allow your site to send to it:',
    `  npm run leadscore -- site add-origin --site ${b.siteKey} --origin https://www.your-site.com`,
    '',
    "Rep token (shown only now; paste it into the extension's options):",
    `  ${b.repToken}`,
    '',
    `Demo site: ${b.demoUrl}`,
    `API docs:  ${b.docsUrl}`,
    '',
  ].join('\n');
}
