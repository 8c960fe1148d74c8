import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Which fixture page each real host name serves. */
export const SITE_PAGES: Record<string, string> = {
  'mail.google.com': 'gmail.html',
  'outlook.office.com': 'outlook.html',
  'outlook.live.com': 'outlook-live.html',
  'www.linkedin.com': 'linkedin.html',
};

/**
 * `?fixture=<name>` serves fixtures/<name>.html instead of the host's default page: the site
 * variants (gmail-scrambled, outlook-new, ...) under the same real host names. The query leaves
 * what the adapters read (host, path, hash) as the real site has it.
 */
function pageFor(host: string, url: string, pages: Record<string, string>): string | undefined {
  if (!pages[host]) return undefined;
  const variant = new URL(url, 'https://x.invalid').searchParams.get('fixture');
  return variant && /^[a-z0-9-]+$/.test(variant) ? `${variant}.html` : pages[host];
}

/**
 * The fixture pages over HTTPS under their real host names (Chromium maps the names to this
 * server with --host-resolver-rules), so the extension's production match patterns apply.
 * The certificate is self-signed, made fresh for each run. `pages` may add hosts the extension
 * does not run on (the benchmark's control page).
 */
export async function startSiteServer(pages: Record<string, string> = SITE_PAGES) {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-sites-'));
  const names = Object.keys(pages);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
  ], { stdio: 'ignore' });
  const requests: string[] = [];
  const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0]!;
    requests.push(`${host}${req.url}`);
    const page = pageFor(host, req.url ?? '/', pages);
    if (!page || req.url === '/favicon.ico' || !existsSync(join(FIXTURES, page))) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(readFileSync(join(FIXTURES, page)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    /** Chromium's --host-resolver-rules value sending every fixture host here. */
    resolverRules: names.map((n) => `MAP ${n} 127.0.0.1:${port}`).join(', '),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
