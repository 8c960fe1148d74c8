import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { LOCAL_BACKEND_MATCHES } from './extension/backend-origins';
import { SITE_MATCHES } from './extension/sites';

// The extension's sources live in extension/; builds go to dist/extension/<browser>-mv3.
export default defineConfig({
  srcDir: 'extension',
  outDir: 'dist/extension',
  manifestVersion: 3,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'leadscore',
    description: 'Lead scores next to the people in Gmail, Outlook on the web and LinkedIn; tag fit from the popup.',
    // alarms: wake the worker to replay queued edits. No "tabs", no "storage": the token lives
    // in the extension's own IndexedDB, and tab URLs are visible through the host permissions.
    permissions: ['alarms'],
    // The sites we read, and the local backend of `npm start` (ports are not part of match patterns).
    host_permissions: [...SITE_MATCHES, ...LOCAL_BACKEND_MATCHES],
    // Any other backend is requested at runtime, from the options page, for its origin only.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: 'leadscore' },
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko: { id: 'leadscore@leadscore.invalid', strict_min_version: '128.0' } } } : {}),
  }),
});
