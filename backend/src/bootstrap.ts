import { DEMO_SITE_SETTING } from './app';
import type { Store } from './store/store';
import { trackerSnippet } from '../../shared/tracker-snippet';

export interface Bootstrap {
  workspaceId: string;
  siteKey: string;
  repToken: string;
  scriptTag: string;
  demoUrl: string;
  docsUrl: string;
  consoleUrl: string;
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
    scriptTag: trackerSnippet(publicUrl, site.key),
    demoUrl: `${publicUrl}/demo`,
    docsUrl: `${publicUrl}/docs`,
    consoleUrl: `${publicUrl}/app/`,
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
    "Rep token (shown only now; paste it into the extension's options, or sign in to the console with it):",
    `  ${b.repToken}`,
    '',
    `Console:   ${b.consoleUrl}  (every lead; for settings, sign in with an admin token:`,
    `           npm run leadscore -- token create --workspace ${b.workspaceId} --role admin)`,
    `Demo site: ${b.demoUrl}`,
    `API docs:  ${b.docsUrl}`,
    '',
  ].join('\n');
}
