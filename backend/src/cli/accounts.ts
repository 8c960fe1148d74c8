import { createReadStream } from 'node:fs';
import { MAX_TOP_ACCOUNTS, type AccountDetail, type AccountSummary, type TargetImportResult, type TopAccounts } from '../../../shared/index';
import { accountDetail } from '../accounts/account-detail';
import { toAccountSummary } from '../accounts/present-account';
import { readTargetAccounts } from '../csv/target-accounts-csv';
import { businessDomain } from '../domain/account-key';
import type { Store } from '../store/store';

export const ACCOUNTS_USAGE = `accounts targets <file.csv>   (a target-account list: a domain column, optional name, other columns account attributes)
  accounts top [--tier <name>] [--limit <1-${MAX_TOP_ACCOUNTS}>]   (best accounts first)
  accounts show <account id | domain>   (every point explained, and its people)`;

export interface AccountsInput {
  action: string;
  /** The file of `targets`, the id or domain of `show`. */
  argument: string | undefined;
  tier: string | undefined;
  limit: string | undefined;
}

/** `accounts targets|top|show`: the API's answers (--json), or aligned text. `usage` makes the error for a misused command. */
export async function accountsCommand(store: Store, workspaceId: string, input: AccountsInput, now: number, usage: (message: string) => Error): Promise<{ data: unknown; text: string; exitCode?: number }> {
  switch (input.action) {
    case 'targets': {
      if (!input.argument) throw usage('accounts targets needs a CSV file');
      const list = await readTargetAccounts(createReadStream(input.argument));
      const written = list.rows.length ? await store.importTargetAccounts(workspaceId, list.rows, now) : { created: 0, updated: 0 };
      const result: TargetImportResult = { ...written, errors: list.errors };
      const lines = [`${input.argument}: ${written.created + written.updated} target accounts (${written.created} created, ${written.updated} updated), ${list.errors.length} ${list.errors.length === 1 ? 'row' : 'rows'} refused`];
      for (const error of list.errors) lines.push(`  line ${error.line}: ${error.reason}`);
      return { data: result, text: lines.join('\n'), exitCode: list.errors.length ? 1 : 0 };
    }
    case 'top': {
      const limit = input.limit === undefined ? 50 : Number(input.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP_ACCOUNTS) throw usage(`--limit must be a whole number from 1 to ${MAX_TOP_ACCOUNTS}`);
      const { compiled } = await store.currentModel(workspaceId);
      const tiers = compiled.accounts.tiers.map((t) => t.name);
      if (input.tier !== undefined && !tiers.includes(input.tier)) throw usage(`no account tier "${input.tier}"; the model's account tiers are ${tiers.join(', ')}`);
      const accounts = (await store.topAccounts(workspaceId, { tier: input.tier, limit })).map(toAccountSummary);
      return { data: { accounts } satisfies TopAccounts, text: accounts.length ? summaryTable(accounts) : 'no accounts' };
    }
    case 'show': {
      if (!input.argument) throw usage('accounts show needs an account id or a domain');
      const account = await store.getAccount(workspaceId, input.argument);
      const domain = account ? null : businessDomain(input.argument);
      const found = account ?? (domain ? await store.findAccountByDomain(workspaceId, domain) : undefined);
      if (!found) throw new Error(domain ? `no account at ${domain} yet` : `no account ${input.argument} (give an account id or a company domain)`);
      const detail = await accountDetail(store, workspaceId, found, now);
      return { data: detail, text: renderDetail(detail) };
    }
    default:
      throw usage(`unknown command "accounts ${input.action}"`);
  }
}

/** Rows of cells as columns padded to their widest cell; numbers (right-aligned) where `right` says. */
export function alignedTable(rows: string[][], right: readonly number[] = []): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const points = (n: number) => `${n > 0 ? '+' : ''}${Math.round(n * 100) / 100}`;

function summaryTable(accounts: AccountSummary[]): string {
  const header = ['SCORE', 'TIER', 'ACCOUNT', 'DOMAIN', 'PEOPLE', 'ENGAGED', 'TARGET', 'ID'];
  const rows = accounts.map((a) => [String(a.score), a.tier, a.name ?? '', a.domain ?? '', String(a.people), String(a.peopleEngaged), a.targetAccount ? 'yes' : '', a.id]);
  return alignedTable([header, ...rows], [0, 4, 5]);
}

/** "Acme Robotics (acme.com) · Warm account · score 50 (fit 50, engagement 0)", its attributes, its points and its people. */
function renderDetail(a: AccountDetail): string {
  const title = [a.name ?? a.domain ?? a.id, a.name && a.domain ? `(${a.domain})` : ''].filter(Boolean).join(' ');
  const lines = [
    `${title} · ${a.tier} account${a.targetAccount ? ' · target account' : ''} · score ${a.score} (fit ${a.fit}, engagement ${a.engagement})`,
    `${a.people} people, ${a.peopleEngaged} engaged · id ${a.id} · rolled up ${a.scoredAt}`,
  ];
  const attributes = Object.entries(a.attributes).filter(([key]) => key !== 'targetAccount');
  if (attributes.length) lines.push('', 'Attributes:', alignedTable(attributes.map(([key, value]) => [`  ${key}`, String(value)])));
  lines.push('', 'Points:', a.breakdown.length ? alignedTable(a.breakdown.map((l) => [`  ${points(l.points)}`, l.kind, l.label]), [0]) : '  (none)');
  const people = a.members.map((m) => [`  ${m.score}`, m.tier, m.name ?? '', m.email ?? '', m.id]);
  lines.push('', `People (best first${a.members.length < a.people ? `, the first ${a.members.length}` : ''}):`, people.length ? alignedTable(people, [0]) : '  (none yet)');
  return lines.join('\n');
}
