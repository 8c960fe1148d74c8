import { createInterface } from 'node:readline';
import { spawnTs } from '../backend/support/spawn';

export interface ServerProcess {
  url: string;
  /** The server's own pid (node runs the script itself, not through npx or a shell), so signals reach it directly. */
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * A TypeScript entry point of the repository as its own process; resolves once it logs a
 * 'listening' line with its URL. Every stdout line is read, request logs included, because a full
 * pipe would stall the server; `onLine` sees each one.
 */
export function startServer(script: string, env: Record<string, string>, onLine: (line: string) => void = () => {}): Promise<ServerProcess> {
  const child = spawnTs(script, [], env);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let listening = false;
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      onLine(line);
      // Only until it listens: after that, lines are request logs (thousands a second under load).
      if (listening || !line.includes('"msg":"listening"')) return;
      const { url } = JSON.parse(line) as { url?: string };
      if (!url) return;
      listening = true;
      resolve({
        url: url.replace('localhost', '127.0.0.1'),
        pid: child.pid!,
        exited,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/**
 * `npm start` on DATABASE_URL on a free port, logging every request at `info` as by default, rate
 * limits off (load from one address would only measure the limiter).
 */
export function startBackend(databaseUrl: string, onLine?: (line: string) => void, env: Record<string, string> = {}): Promise<ServerProcess> {
  return startServer('backend/src/main.ts', { DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_SITE: '0', ...env }, onLine);
}
