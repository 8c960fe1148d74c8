import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** Server time (ms, as the server's request log gives it) of every request to `path` (one of timedPaths) since the last call. */
  takeRequestTimes(path: string): number[];
  /** Peak resident set size so far (the kernel's VmHWM), in MiB. */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/**
 * A TypeScript entry point run by node itself (as `npm start` runs main.ts through tsx), so the
 * pid is the server's and /proc/<pid>/status tells its memory. Resolves once it logs 'listening'.
 */
export function startProcess(script: string, env: Record<string, string>, timedPaths: string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const requestTimes = new Map<string, number[]>();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"msg":"request"')) {
        // Only the timed paths are parsed: ingest logs thousands of lines a second.
        if (!timedPaths.some((p) => line.includes(`"path":"${p}"`))) return;
        const { path, ms } = JSON.parse(line) as { path: string; ms: number };
        const times = requestTimes.get(path) ?? [];
        times.push(ms);
        requestTimes.set(path, times);
        return;
      }
      if (!line.startsWith('{')) return;
      const log = JSON.parse(line) as { msg: string; url?: string };
      if (log.msg !== 'listening' || !log.url) return;
      resolve({
        url: log.url.replace('localhost', '127.0.0.1'),
        pid: child.pid!,
        takeRequestTimes: (path) => {
          const times = requestTimes.get(path) ?? [];
          requestTimes.delete(path);
          return times;
        },
        peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** `npm start` on DATABASE_URL, logging every request as by default, rate limits off (a load test from one address would only measure the limiter). */
export function startBackend(databaseUrl: string, timedPaths: string[] = []): Promise<ServerProcess> {
  return startProcess('backend/src/main.ts', { DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', RATE_LIMIT_PER_IP: '0', RATE_LIMIT_PER_SITE: '0' }, timedPaths);
}

export function startBareServer(): Promise<ServerProcess> {
  return startProcess('bench/backend/bare-server.ts', {});
}
