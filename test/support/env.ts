import { existsSync } from 'node:fs';
import pg from 'pg';

const inCI = process.env.CI === 'true';

/**
 * Decides whether a suite that needs an outside program can run. Outside CI a missing
 * dependency skips the suite with a printed reason; in CI it fails, so CI never passes by skipping.
 */
function availability(what: string, missing: string | null): boolean {
  if (!missing) return true;
  if (inCI) throw new Error(`${what} is required in CI but ${missing}`);
  console.warn(`[skip] ${what} tests skipped: ${missing}`);
  return false;
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when Chromium can be launched; use with `describe.runIf(hasChromium())`. */
export function hasChromium(): boolean {
  return availability('Chromium', existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} was not found (apt-get install chromium)`);
}

export const TEST_PG_URL = process.env.LEADSCORE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL at TEST_PG_URL cannot be used (the connection error), or null when it answers. */
export async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** True when PostgreSQL answers at TEST_PG_URL; use with `describe.runIf(await hasPostgres())`. */
export async function hasPostgres(): Promise<boolean> {
  const problem = await postgresProblem();
  return availability('PostgreSQL', problem && `${TEST_PG_URL} did not answer (${problem})`);
}
