import { readFileSync } from 'node:fs';
import { startBackend as startNpmStart, startServer, type ServerProcess as Started } from '../../test/support/backend-server';

export interface ServerProcess extends Started {
  /** Server time (ms, as the server's request log gives it) of every request to `path` (one of timedPaths) since the last call. */
  takeRequestTimes(path: string): number[];
  /** Peak resident set size so far (the kernel's VmHWM), in MiB. */
  peakRssMiB(): number;
  /** CPU time (user + system) the server process has used so far, in ms. */
  cpuMs(): number;
}

/** utime + stime of a process from /proc/<pid>/stat (fields 14 and 15, after the parenthesised name), in ms. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime 15, in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
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
    cpuMs: () => cpuMsOf(server.pid),
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
