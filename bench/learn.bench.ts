/**
 * Learning benchmark (`npm run bench -- learn`): `leadscore learn` on 100k known-answer leads
 * (80k with outcomes) in SQLite, in a process of its own so its peak memory is its own. Budget:
 * under 10 s on one core. Also reports what was learned against the data's truth.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel, DEFAULT_MODEL, LearnResponse } from '../shared/index';
import { learnModel } from '../backend/src/learn/learn';
import { SqliteStore } from '../backend/src/store/sqlite/sqlite-store';
import { writeKnownAnswerSqlite } from '../test/support/known-answer';

const LEADS = 100_000;
const BUDGET_MS = 10_000;
const NOW = Date.parse('2026-01-15T12:00:00Z');

interface Measured {
  ms: number;
  /** CPU time of the process while learning (user + system): what one core spends, whatever else shares it. */
  cpuMs: number;
  peakRssMiB: number;
  response: LearnResponse;
}

/** The child: learn once on the database it is given, print the time, its own peak RSS and the result. */
async function learnOnce(file: string, workspaceId: string): Promise<void> {
  const store = await SqliteStore.open(file);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const response = await learnModel(store, workspaceId, {}, NOW);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await store.close();
  process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024, response } satisfies Measured));
}

export default async function run(): Promise<string> {
  const dir = mkdtempSync(join(os.tmpdir(), 'leadscore-bench-learn-'));
  try {
    const file = join(dir, 'learn.db');
    const store = await SqliteStore.open(file);
    const workspace = await store.createWorkspace('Bench', NOW);
    const site = await store.createSite(workspace.id, ['https://acme.example'], NOW);
    await store.close();
    writeKnownAnswerSqlite(file, { seed: 2026, leads: LEADS, now: NOW }, { workspaceId: workspace.id, siteId: site.id }, compileModel(DEFAULT_MODEL));
    const output = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), file, workspace.id], { maxBuffer: 64 * 2 ** 20, env: { ...process.env, LEARN_BENCH_CHILD: '1' } });
    const { ms, cpuMs, peakRssMiB, response } = JSON.parse(output.toString()) as Measured;
    const { report } = response;
    const h = report.holdout;
    const auc = (a: { auc: number } | null) => a?.auc.toFixed(3) ?? 'n/a';
    const calibrationGap = Math.max(...h.calibration.map((d) => Math.abs(d.predicted - d.actual)));
    return [
      '## Learning a model',
      '',
      `\`learnModel\` (\`npm run leadscore -- learn\`) on SQLite over ${LEADS.toLocaleString('en-US')} known-answer leads (${(report.leads.won + report.leads.lost).toLocaleString('en-US')} with outcomes: ${report.leads.train.toLocaleString('en-US')} to learn from, ${report.leads.holdout.toLocaleString('en-US')} held out), in a process of its own (single-threaded). Budget: under ${BUDGET_MS / 1000} s.`,
      '',
      '| measure | value |',
      '| --- | --- |',
      `| CPU time (read as of each outcome, features, lambda path, final fit, points, calibration, held-out report) | ${(cpuMs / 1000).toFixed(2)} s (${cpuMs <= BUDGET_MS ? 'within' : '**over**'} budget) |`,
      `| wall time (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores when it ended) | ${(ms / 1000).toFixed(2)} s |`,
      `| peak memory (RSS of the process) | ${peakRssMiB.toFixed(0)} MiB |`,
      `| features / chosen L2 / Newton steps | ${report.features.length} groups / ${report.lambda} / ${report.iterations} |`,
      `| held-out AUC: learned points / unrounded / current model | ${auc(h.points)} / ${auc(h.regression)} / ${auc(h.current)} |`,
      `| rounding cost (AUC) | ${h.roundingCost?.toFixed(4)} |`,
      `| largest calibration gap in a decile | ${(calibrationGap * 100).toFixed(1)} points |`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.LEARN_BENCH_CHILD) await learnOnce(process.argv[2]!, process.argv[3]!);
