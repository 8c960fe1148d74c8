import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTs } from '../../backend/support/spawn';
import { startServer, type ServerProcess } from '../../support/backend-server';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The real backend (`backend/src/main.ts`) as its own process, on a temporary SQLite file and a
 * free port; it can be stopped and started again on the same port and database.
 */
export class BackendProcess {
  private server: ServerProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'leadscore-backend-'));
  readonly databaseUrl = join(this.dir, 'leadscore.db');
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `npm run leadscore -- ... --json` against this backend's database. */
  async cli<T>(...args: string[]): Promise<T> {
    const { code, stdout, stderr } = await runTs('backend/src/cli.ts', [...args, '--json'], { DATABASE_URL: this.databaseUrl });
    if (code !== 0) throw new Error(`leadscore ${args.join(' ')} exited with ${code}: ${stderr}`);
    return JSON.parse(stdout) as T;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.server = await startServer('backend/src/main.ts', { DATABASE_URL: this.databaseUrl, PORT: String(this.port), HOST: '127.0.0.1' });
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A JSON request to the running backend; throws on a non-2xx answer. */
  async request<T>(method: string, path: string, auth: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
