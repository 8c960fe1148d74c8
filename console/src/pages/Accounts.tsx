import { useEffect, useState } from 'preact/hooks';
import type { AccountSummary, TopAccounts } from '../../../shared/schemas/account';
import type { ScoringModel } from '../../../shared/schemas/model';
import { accountName, accountTiers, DEFAULT_ACCOUNT_TIERS, TOP_ACCOUNTS, topAccountsUrl } from '../accounts';
import { api, messageOf } from '../api';
import { accountHref, navigate } from '../router';
import { onRowKey } from '../row-keys';
import { FilterChoice } from '../FilterChoice';

/** The top accounts (companies) by account score, filtered by tier; a row opens the account. */
export function Accounts({ params }: { params: URLSearchParams }) {
  const tier = params.get('tier') ?? '';
  const [tiers, setTiers] = useState<readonly string[]>(DEFAULT_ACCOUNT_TIERS);
  const [accounts, setAccounts] = useState<AccountSummary[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    void api<ScoringModel>('GET', '/api/model').then((m) => setTiers(accountTiers(m)), () => {});
  }, []);

  useEffect(() => {
    let current = true;
    setAccounts(null);
    setError('');
    api<TopAccounts>('GET', topAccountsUrl(tier)).then(
      (answer) => current && setAccounts(answer.accounts),
      (failure) => current && setError(messageOf(failure)),
    );
    return () => (current = false);
  }, [tier]);

  return (
    <>
      <h1>Accounts</h1>
      <p class="subtitle">Companies, with their people grouped by business email domain or the company they gave, scored as a whole.</p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <FilterChoice label="Tier" value={tier} options={tiers} onChange={(t) => navigate(`#/accounts${t ? `?${new URLSearchParams({ tier: t })}` : ''}`)} />
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!error && <AccountTable accounts={accounts} />}
    </>
  );
}

/** Rows are focusable as in the leads table: Tab reaches the first, arrows move, Enter opens. */
function AccountTable({ accounts }: { accounts: AccountSummary[] | null }) {
  if (accounts === null) return <p aria-busy="true">Loading accounts…</p>;
  if (accounts.length === 0) return <p>No accounts match.</p>;
  return (
    <table class="accounts">
      <caption class="visually-hidden">The top {TOP_ACCOUNTS} accounts by score, highest first. Press Enter on a row to open the account.</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Domain</th>
          <th scope="col">Tier</th>
          <th scope="col" class="num">Score</th>
          <th scope="col" class="num">People engaged</th>
          <th scope="col" class="num">People</th>
          <th scope="col">Target account</th>
        </tr>
      </thead>
      <tbody>
        {accounts.map((account) => (
          <tr key={account.id} tabIndex={0} data-account={account.id} onKeyDown={(e) => onRowKey(e, () => navigate(accountHref(account.id)))} onClick={() => navigate(accountHref(account.id))}>
            <td>{accountName(account)}</td>
            <td>{account.domain ?? '—'}</td>
            <td>{account.tier}</td>
            <td class="num">{Math.round(account.score)}</td>
            <td class="num">{account.peopleEngaged}</td>
            <td class="num">{account.people}</td>
            <td>{account.targetAccount ? 'Yes' : 'No'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
