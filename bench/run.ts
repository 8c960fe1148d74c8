/**
 * `npm run bench [-- part ...]` runs the benchmarks in bench/<part>.bench.ts and writes each
 * one's Markdown section into docs/BENCHMARKS.md between its markers, with the machine it ran on,
 * so the document always says where every number came from.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const docPath = fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url));
const available = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', ''));
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((p) => !available.includes(p));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  const commit = (() => {
    try {
      return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      return 'uncommitted';
    }
  })();
  return `${new Date().toISOString().slice(0, 10)}, commit ${commit}, Node ${process.version}, ${os.platform()} ${os.release()}, ${cpu} x${os.cpus().length}, ${gib} GiB`;
}

function replaceSection(doc: string, part: string, body: string): string {
  const start = `<!-- bench:${part} -->`;
  const end = `<!-- /bench:${part} -->`;
  const block = `${start}\n${body.trim()}\n\n_Measured on: ${machine()}._\n${end}`;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from >= 0 && to > from) return doc.slice(0, from) + block + doc.slice(to + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

const header = '# Benchmarks\n\nProduced by `npm run bench` (bench/run.ts); each section names the machine it ran on.\n';
for (const part of requested.length ? requested : available) {
  console.log(`\n== bench: ${part}`);
  const run = (await import(`./${part}.bench.ts`)).default as () => Promise<string>;
  const section = await run();
  console.log(section);
  // Read now, not before the run: the document may have been edited while the benchmark ran.
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : header;
  writeFileSync(docPath, replaceSection(doc, part, section));
}
