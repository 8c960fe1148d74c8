import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from '../../shared/index';
import { DEFAULT_DATABASE_URL } from './config';
import { emailLinks } from './domain/email-links';
import { isEmail } from '../../shared/email';
import { MIGRATE_TO_POSTGRES_USAGE, migrateToPostgresCommand } from './cli/migrate-to-postgres';
import { MODEL_SET_USAGE, setModel } from './cli/model-set';
import { EXPORT_USAGE, exportCommand } from './cli/export-csv';
import { IMPORT_USAGE, importCommand } from './cli/import-csv';
import { BACKTEST_USAGE, backtestCommand } from './cli/backtest';
import { LEARN_USAGE, learnCommand } from './cli/learn';
import { REPORT_USAGE, reportCommand } from './cli/report';
import { WEBHOOK_USAGE, webhookCommand } from './cli/webhook';
import { CHALLENGER_USAGE, challengerCommand } from './cli/challenger';
import { ACCOUNTS_USAGE, accountsCommand } from './cli/accounts';
import { ROLES, type Role } from './domain/tokens';
import { openStore } from './store/open';
import type { Store } from './store/store';

const USAGE = `Usage: npm run leadscore -- <command> [options]

  workspace create <name>
  workspace list
  site create --workspace <id> --origin <origin> [--origin <origin> ...]
  site add-origin --site <key> --origin <origin> [--origin ...]
  site list [--workspace <id>]
  token create --workspace <id> --role rep|admin [--label <text>]   (prints the token once)
  token list [--workspace <id>]
  token revoke <token id>
  email-link --site <key> --email <address> [--url <target>] [--campaign <name>] [--public-url <url>]
  ${MODEL_SET_USAGE}
  ${REPORT_USAGE}
  ${BACKTEST_USAGE}
  ${CHALLENGER_USAGE}
  ${IMPORT_USAGE}
  ${ACCOUNTS_USAGE}
  ${EXPORT_USAGE}
  ${LEARN_USAGE}
  ${WEBHOOK_USAGE}
  ${MIGRATE_TO_POSTGRES_USAGE}

Options: --db <path or URL> (default: DATABASE_URL or ${DEFAULT_DATABASE_URL}), --json (machine-readable output),
  --workspace <id> (import, export, report, accounts, ...: optional when there is only one workspace)`;

class UsageError extends Error {}

type Values = Record<string, string | string[] | boolean | undefined>;

function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** "https://www.example.com" (scheme, host, port; no path), or "*" for any origin. */
function origin(text: string): string {
  if (text === '*') return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`"${text}" is not an origin like https://www.example.com`);
  }
  if (!/^https?:$/.test(url.protocol) || text.replace(/\/$/, '') !== url.origin) throw new UsageError(`"${text}" is not an origin like https://www.example.com (scheme and host only)`);
  return url.origin;
}

function origins(values: Values): string[] {
  const list = (values.origin as string[] | undefined) ?? [];
  if (list.length === 0) throw new UsageError('give at least one --origin');
  return list.map(origin);
}

async function workspaceOrFail(store: Store, id: string) {
  const workspace = await store.getWorkspace(id);
  if (!workspace) throw new Error(`no workspace ${id} (see: workspace list)`);
  return workspace;
}

/** --workspace, or the database's only workspace when there is just one. */
async function workspaceOrOnly(store: Store, id: string | undefined) {
  if (id) return workspaceOrFail(store, id);
  const all = await store.listWorkspaces();
  if (all.length !== 1) throw new UsageError(`--workspace is required (the database has ${all.length} workspaces)`);
  return all[0]!;
}

const time = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/** What a command prints (JSON data and a human rendering; nothing when it wrote its own output), and its exit status. */
interface CommandResult {
  data: unknown;
  text: string;
  exitCode?: number;
  printed?: boolean;
}

const SINGLE_WORD = new Set(['email-link', 'import', 'export', 'report', 'backtest', 'learn']);

/** Runs one command; returns what to print. */
async function run(store: Store, [group, action, ...rest]: string[], values: Values): Promise<CommandResult> {
  const now = Date.now();
  const command = `${group ?? ''} ${SINGLE_WORD.has(group ?? '') ? '' : (action ?? '')}`.trim();
  switch (command) {
    case 'import': {
      if (!action) throw new UsageError('import needs a CSV file');
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      return importCommand(store, workspace.id, action, values, { bar: !values.json && process.stderr.isTTY === true });
    }
    case 'export': {
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      const tiers = ((values.tier as string[] | undefined) ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
      const { rows } = await exportCommand(store, workspace.id, tiers);
      // Standard output is the CSV: the summary goes to standard error.
      process.stderr.write(values.json ? `${JSON.stringify({ rows })}\n` : `exported ${rows} leads\n`);
      return { data: { rows }, text: '', printed: true };
    }
    case 'workspace create': {
      const name = [rest[0] ?? values.name].find((v) => typeof v === 'string' && v.trim());
      if (typeof name !== 'string') throw new UsageError('workspace create needs a name');
      const workspace = await store.createWorkspace(name.trim(), now);
      return { data: workspace, text: `created workspace ${workspace.id} (${workspace.name})` };
    }
    case 'workspace list': {
      const list = await store.listWorkspaces();
      return { data: list, text: list.map((w) => `${w.id}  ${w.name}  ${time(w.createdAt)}`).join('\n') || 'no workspaces' };
    }
    case 'site create': {
      const allowed = origins(values);
      const workspace = await workspaceOrFail(store, required(values, 'workspace'));
      const site = await store.createSite(workspace.id, allowed, now);
      return { data: site, text: `created site ${site.key} for ${site.origins.join(', ')}` };
    }
    case 'site add-origin': {
      const site = await store.addSiteOrigins(required(values, 'site'), origins(values));
      if (!site) throw new Error(`no site with key ${String(values.site)}`);
      return { data: site, text: `site ${site.key} now allows ${site.origins.join(', ')}` };
    }
    case 'site list': {
      const list = await store.listSites(values.workspace as string | undefined);
      return { data: list, text: list.map((s) => `${s.key}  workspace ${s.workspaceId}  ${s.origins.join(', ')}`).join('\n') || 'no sites' };
    }
    case 'token create': {
      const role = required(values, 'role');
      if (!ROLES.includes(role as Role)) throw new UsageError('--role must be rep or admin');
      const workspace = await workspaceOrFail(store, required(values, 'workspace'));
      const label = typeof values.label === 'string' ? values.label : null;
      const { token, secret } = await store.createToken(workspace.id, role as Role, label, now);
      return { data: { ...token, token: secret }, text: `created ${role} token ${token.id}; it is shown only now:\n${secret}` };
    }
    case 'token list': {
      const list = await store.listTokens(values.workspace as string | undefined);
      const line = (t: (typeof list)[number]) => `${t.id}  ${t.role}  ${t.label ?? ''}  workspace ${t.workspaceId}  ${t.revokedAt ? `revoked ${time(t.revokedAt)}` : 'active'}`;
      return { data: list, text: list.map(line).join('\n') || 'no tokens' };
    }
    case 'token revoke': {
      const id = rest[0];
      if (!id) throw new UsageError('token revoke needs a token id');
      if (!(await store.revokeToken(id, now))) throw new Error(`no token ${id}`);
      return { data: { id, revoked: true }, text: `revoked ${id}` };
    }
    case 'model set': {
      const file = rest[0];
      if (!file) throw new UsageError('model set needs a model JSON file');
      const workspace = await workspaceOrFail(store, required(values, 'workspace'));
      return setModel(store, workspace.id, file, { bar: !values.json && process.stderr.isTTY === true });
    }
    case 'email-link': {
      const site = await store.findSiteByKey(required(values, 'site'));
      if (!site) throw new Error(`no site with key ${String(values.site)}`);
      const email = required(values, 'email');
      if (!isEmail(email)) throw new UsageError(`"${email}" is not an email address`);
      const target = values.url as string | undefined;
      if (target !== undefined && !/^https?:\/\/\S+$/i.test(target)) throw new UsageError('--url must be an http(s) URL');
      const publicUrl = (values['public-url'] as string | undefined) ?? process.env.PUBLIC_URL ?? `http://localhost:${DEFAULT_PORT}`;
      const campaign = values.campaign as string | undefined;
      const links = emailLinks(publicUrl, await store.linkSecret(site.workspaceId), { siteKey: site.key, email, campaign }, target);
      const text = [`open pixel: <img src="${links.openPixelUrl}" width="1" height="1" alt="">`, ...(links.clickUrl ? [`click URL:  ${links.clickUrl}`] : [])].join('\n');
      return { data: links, text };
    }
    case 'report': {
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      const period = (name: 'from' | 'to') => (typeof values[name] === 'string' ? { [name]: values[name] as string } : {});
      return reportCommand(store, workspace.id, { ...period('from'), ...period('to'), attribute: ((values.attribute as string[] | undefined) ?? []).flatMap((a) => a.split(',')) }, now);
    }
    case 'backtest': {
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
      return backtestCommand(store, workspace.id, { model: required(values, 'model'), vs: text('vs'), from: text('from'), to: text('to') }, now);
    }
    case 'challenger set':
    case 'challenger show':
    case 'challenger stop':
    case 'challenger promote':
    case 'challenger report': {
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      return challengerCommand(store, workspace.id, action, rest[0], { bar: !values.json && process.stderr.isTTY === true }, now);
    }
    case 'learn': {
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
      return learnCommand(store, workspace.id, { holdout: text('holdout'), splitDate: text('split-date'), seed: text('seed'), exclude: text('exclude'), out: text('out') }, now);
    }
    case 'accounts targets':
    case 'accounts top':
    case 'accounts show': {
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      const tiers = (values.tier as string[] | undefined) ?? [];
      if (tiers.length > 1) throw new UsageError('accounts top takes one --tier');
      const input = { action: action!, argument: rest[0], tier: tiers[0], limit: values.limit as string | undefined };
      return accountsCommand(store, workspace.id, input, now, (message) => new UsageError(message));
    }
    case 'webhook add':
    case 'webhook list':
    case 'webhook remove':
    case 'webhook rotate': {
      const workspace = await workspaceOrOnly(store, values.workspace as string | undefined);
      const input = {
        action: action!,
        id: rest[0],
        url: values.url as string | undefined,
        events: (values.event as string[] | undefined) ?? [],
        allowPrivate: values['allow-private-webhooks'] === true || process.env.ALLOW_PRIVATE_WEBHOOKS === 'true',
        keepHours: values['keep-hours'] as string | undefined,
      };
      return webhookCommand(store, workspace.id, input, now, (message) => new UsageError(message));
    }
    default:
      throw new UsageError(group ? `unknown command "${command}"` : 'no command given');
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean' },
        workspace: { type: 'string' },
        origin: { type: 'string', multiple: true },
        site: { type: 'string' },
        role: { type: 'string' },
        label: { type: 'string' },
        email: { type: 'string' },
        url: { type: 'string' },
        campaign: { type: 'string' },
        'public-url': { type: 'string' },
        'id-column': { type: 'string' },
        'email-column': { type: 'string' },
        'name-column': { type: 'string' },
        'outcome-column': { type: 'string' },
        'outcome-date-column': { type: 'string' },
        'created-column': { type: 'string' },
        won: { type: 'string' },
        lost: { type: 'string' },
        missing: { type: 'string' },
        errors: { type: 'string' },
        'dry-run': { type: 'boolean' },
        tier: { type: 'string', multiple: true },
        limit: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        attribute: { type: 'string', multiple: true },
        model: { type: 'string' },
        vs: { type: 'string' },
        holdout: { type: 'string' },
        'split-date': { type: 'string' },
        seed: { type: 'string' },
        exclude: { type: 'string' },
        out: { type: 'string' },
        event: { type: 'string', multiple: true },
        'allow-private-webhooks': { type: 'boolean' },
        'keep-hours': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  // Works on two databases, so it opens its own stores.
  if (positionals[0] === 'migrate-to-postgres') return migrateToPostgresCommand({ from: values.from ?? DEFAULT_DATABASE_URL, to: values.to });
  const store = await openStore(values.db ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  try {
    const { data, text, exitCode = 0, printed } = await run(store, positionals, values);
    if (!printed) process.stdout.write(`${values.json ? JSON.stringify(data, null, 2) : text}\n`);
    return exitCode;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}${error instanceof UsageError ? `\n\n${USAGE}` : ''}\n`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await store.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
