import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountDetail, AccountSummary, MAX_TARGET_LIST_BYTES, TargetImportResult, WebhookPayload } from '../../../shared/index';
import { hasPostgres } from '../../support/env';
import { apiError, bearer, jsonRequest, openFixture, type AppFixture, type StoreKind } from '../support/app';

const kinds: [StoreKind, boolean][] = [
  ['sqlite', true],
  ['postgres', await hasPostgres()],
];

function postTargets(f: AppFixture, token: string, csv: string): Promise<Response> {
  return Promise.resolve(f.app.request('/api/accounts/targets', { method: 'POST', headers: bearer(token, { 'Content-Type': 'text/csv' }), body: csv }));
}

async function accountAt(f: AppFixture, domain: string): Promise<AccountDetail> {
  const found = await jsonRequest(f.app, 'GET', `/api/accounts?domain=${domain}`, f.repToken);
  expect(found.status, domain).toBe(200);
  const { id } = AccountSummary.parse(await found.json());
  const detail = await jsonRequest(f.app, 'GET', `/api/accounts/${id}`, f.repToken);
  expect(detail.status).toBe(200);
  return AccountDetail.parse(await detail.json());
}

/** The rows of the accounts table, without the roll-up time (a re-import rolls up again at the same NOW anyway). */
async function accountRows(f: AppFixture): Promise<unknown[]> {
  const rows = (await f.dump()).accounts as Record<string, unknown>[];
  return rows.map((row): Record<string, unknown> => ({ ...row, attributes: JSON.parse(String(row.attributes)) as unknown })).sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

// A BOM and CRLF line ends, as a spreadsheet saves them. Line 1 is the header.
const LIST = [
  '\uFEFFdomain,Company Name,Industry,Employees,segment,priority',
  'https://www.acme.com/about,Acme Robotics,Software,250,enterprise,1', // line 2: Ann's account, existing
  'jane@globex.co.uk,Globex,Manufacturing,12000,mid,2', // line 3: new
  'gmail.com,Free Mail Co,,,,', // line 4: free mail
  'not a domain,Nobody,,,,', // line 5: not a domain
  'acme.com,Acme again,,,,', // line 6: listed twice
  'initech.com,Initech,,lots,,', // line 7: a size that is not a number
  'mailinator.com,Throwaway,,,,', // line 8: disposable mail
].join('\r\n');

for (const [kind, available] of kinds) {
  describe.runIf(available)(`POST /api/accounts/targets (${kind})`, () => {
    let f: AppFixture;
    beforeEach(async () => {
      f = await openFixture(kind, { allowPrivateWebhooks: true });
      // Ann is the first person seen at acme.com: her account exists, fits nothing and is not a target.
      const ann = await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email: 'ann@acme.com', name: 'Ann' });
      expect(ann.status).toBe(201);
    });
    afterEach(async () => {
      await f.close();
    });

    it('marks existing and new companies as targets; the target fit rule and the tier follow; free-mail and bad rows are refused by line', async () => {
      const hook = await jsonRequest(f.app, 'POST', '/api/webhooks', f.adminToken, { url: 'http://127.0.0.1:9/hooks', events: ['account.tier_changed'] });
      expect(hook.status).toBe(201);
      const before = await accountAt(f, 'acme.com');
      expect(before).toMatchObject({ targetAccount: false, fit: 0, score: 0, tier: 'Cold', people: 1 });

      const response = await postTargets(f, f.adminToken, LIST);
      expect(response.status).toBe(200);
      const result = TargetImportResult.parse(await response.json());
      expect(result.created).toBe(1);
      expect(result.updated).toBe(1);
      expect(result.errors.map((e) => e.line)).toEqual([4, 5, 6, 7, 8]);
      const reason = (line: number) => result.errors.find((e) => e.line === line)!.reason;
      expect(reason(4)).toContain('free mail domain');
      expect(reason(5)).toContain('not a company domain');
      expect(reason(6)).toContain('already listed on line 2');
      expect(reason(7)).toMatch(/Employees.*not a number/);
      expect(reason(8)).toContain('disposable mail domain');

      // Default account model: target account 30, target industry 10, size 50-5,000 10 = 50, Warm (40+).
      const acme = await accountAt(f, 'acme.com');
      expect(acme.id).toBe(before.id);
      expect(acme).toMatchObject({ name: 'Acme Robotics', targetAccount: true, fit: 50, score: 50, tier: 'Warm', people: 1 });
      expect(acme.attributes).toEqual({ industry: 'Software', companySize: 250, segment: 'enterprise', priority: 1, targetAccount: true });
      expect(acme.breakdown.filter((l) => l.kind === 'fit').map((l) => [l.ruleId, l.points])).toEqual([
        ['target-account', 30],
        ['account-industry', 10],
        ['account-size', 10],
      ]);
      expect(acme.members.map((m) => m.email)).toEqual(['ann@acme.com']);

      // Globex has no people yet: a target account of its own, 30 points, Cold (under 40).
      const globex = await accountAt(f, 'www.globex.co.uk');
      expect(globex).toMatchObject({ domain: 'globex.co.uk', name: 'Globex', targetAccount: true, fit: 30, score: 30, tier: 'Cold', people: 0, members: [] });
      expect(globex.breakdown.map((l) => l.ruleId)).toEqual(['target-account']);

      // Acme's tier moved: one account.tier_changed; Globex is new, so it has no tier to change from.
      const messages = ((await f.dump()).webhook_messages as { payload: string }[]).map((m) => WebhookPayload.parse(JSON.parse(m.payload)));
      expect(messages.map((m) => m.type === 'account.tier_changed' && [m.data.account.domain, m.data.previous.tier, m.data.current.tier])).toEqual([['acme.com', 'Cold', 'Warm']]);

      // Nothing of a refused row was written.
      const domains = ((await f.dump()).accounts as { domain: string }[]).map((a) => a.domain).sort();
      expect(domains).toEqual(['acme.com', 'globex.co.uk']);
    });

    it('re-importing the same list changes nothing', async () => {
      const first = TargetImportResult.parse(await (await postTargets(f, f.adminToken, LIST)).json());
      const rows = await accountRows(f);
      const second = TargetImportResult.parse(await (await postTargets(f, f.adminToken, LIST)).json());
      expect(second).toEqual({ ...first, created: 0, updated: first.created + first.updated });
      expect(await accountRows(f)).toEqual(rows);
    });

    it('writes nothing from a malformed file, one without a domain column, or a header alone', async () => {
      const rows = await accountRows(f);
      const unbalanced = await postTargets(f, f.adminToken, 'domain,name\ninitech.com,Initech\numbrella.com,"Umbrella\nhooli.com,Hooli\n');
      expect((await apiError(unbalanced, 400, 'invalid_csv')).message).toContain('line 3');
      const noDomain = await postTargets(f, f.adminToken, 'website,name\ninitech.com,Initech\n');
      expect((await apiError(noDomain, 400, 'invalid_header')).message).toContain('"domain" column');
      await apiError(await postTargets(f, f.adminToken, 'domain,name\r\n'), 400, 'no_rows');
      await apiError(await postTargets(f, f.adminToken, ''), 400, 'empty_file');
      expect(await accountRows(f)).toEqual(rows);
    });

    it('refuses a rep (403) and a list over the size limit (413), writing nothing', async () => {
      const rows = await accountRows(f);
      await apiError(await postTargets(f, f.repToken, LIST), 403, 'forbidden');
      const big = `domain\n${'initech.com\n'.repeat(Math.ceil(MAX_TARGET_LIST_BYTES / 12) + 1)}`;
      await apiError(await postTargets(f, f.adminToken, big), 413, 'payload_too_large');
      // Sent without a length, the body is refused as it arrives.
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      });
      const streamed = await f.app.request('/api/accounts/targets', { method: 'POST', headers: bearer(f.adminToken, { 'Content-Type': 'text/csv' }), body: chunked, duplex: 'half' } as RequestInit);
      await apiError(streamed, 413, 'payload_too_large');
      expect(await accountRows(f)).toEqual(rows);
    });
  });
}
