import { readFileSync } from 'node:fs';
import { startBackend as startNpmStart, startServer, type ServerProcess as Started } from '../../test/support/backend-server';

export interface ServerProcess extends Started {
  /** Server time (ms, as the server's request log gives it) of every request to `path` (one of timedPaths) since the last call. */
  takeRequestTimes(path: string): number[];
  /** Peak resident set size so far (the kernel's VmHWM), in MiB. */
  peakRssMiB(): number;
}

/** A server process whose pid is the server's, so /proc/<pid>/status tells its memory. */
async function measured(start: (onLine: (line: string) => void) => Promise<Started>, timedPaths: string[]): Promise<ServerProcess> {
  const requestTimes = new Map<string, number[]>();
  const server = await start((line) => {
    // Only the timed paths are parsed: ingest logs thousands of lines a second.
    if (!line.includes('"msg":"request"') || !timedPaths.some((p) => line.includes(`"path":"${p}"`))) return;
    const { path, ms } = JSON.parse(line) as { path: string; ms: number };
    const times = requestTimes.get(path) ?? [];
    times.push(ms);
    requestTimes.set(path, times);
  });
  return {
    ...server,
    takeRequestTimes: (path) => {
      const times = requestTimes.get(path) ?? [];
      requestTimes.delete(path);
      return times;
    },
    peakRssMiB: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
  };
}

/** `npm start` on DATABASE_URL as the shared test helper starts it (request logs at info, rate limits off). */
export function startBackend(databaseUrl: string, timedPaths: string[] = []): Promise<ServerProcess> {
  return measured((onLine) => startNpmStart(databaseUrl, onLine), timedPaths);
}

export function startBareServer(): Promise<ServerProcess> {
  return measured((onLine) => startServer('bench/backend/bare-server.ts', {}, onLine), []);
}

/** The durable baseline (durable-server.ts) on its own SQLite file. */
export function startDurableServer(file: string): Promise<ServerProcess> {
  return measured((onLine) => startServer('bench/backend/durable-server.ts', { DURABLE_DB: file }, onLine), []);
}
