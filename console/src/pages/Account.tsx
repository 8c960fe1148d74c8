import { useEffect, useState } from 'preact/hooks';
import type { AccountDetail } from '../../../shared/schemas/account';
import { accountName, peopleEngagedText } from '../accounts';
import { api, ApiFailure, messageOf } from '../api';
import { Breakdown } from '../Breakdown';
import { formatDate, valueText } from '../format';
import { leadHref } from '../router';

/** One account: its score and why, its attributes, and its people (best score first) linking to their pages. */
export function Account({ id }: { id: string }) {
  const [account, setAccount] = useState<AccountDetail | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let current = true;
    setAccount(null);
    setError('');
    api<AccountDetail>('GET', `/api/accounts/${encodeURIComponent(id)}`).then(
      (answer) => current && setAccount(answer),
      (failure) => current && setError(failure instanceof ApiFailure && failure.status === 404 ? 'There is no such account (its people may have been erased or merged away).' : messageOf(failure)),
    );
    return () => (current = false);
  }, [id]);

  if (!account)
    return error ? (
      <>
        <h1>Account</h1>
        <p role="alert" class="error">{error}</p>
        <p><a href="#/accounts">Back to the accounts</a></p>
      </>
    ) : (
      <p aria-busy="true">Loading the account…</p>
    );

  const attributes = Object.entries(account.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <p><a href="#/accounts">← All accounts</a></p>
      <h1>{accountName(account)}</h1>
      <p class="subtitle">
        {account.domain ?? 'no domain'} · {account.people} {account.people === 1 ? 'person' : 'people'}, {peopleEngagedText(account.peopleEngaged)}
        {account.targetAccount ? ' · target account' : ''}
      </p>

      <section aria-labelledby="account-score-h" class="card">
        <h2 id="account-score-h">Score {Math.round(account.score)}</h2>
        <p>
          Tier <strong>{account.tier}</strong> · fit {Math.round(account.fit)}, engagement {Math.round(account.engagement)} · scored {formatDate(account.scoredAt)}
        </p>
        <Breakdown lines={account.breakdown} counted={account} empty="No rule contributes to this account's score yet: no fit rule holds and none of its people is engaged." />
      </section>

      <section aria-labelledby="account-attributes-h" class="card">
        <h2 id="account-attributes-h">Attributes</h2>
        {attributes.length === 0 ? <p>No attributes yet.</p> : (
          <table>
            <thead><tr><th scope="col">Attribute</th><th scope="col">Value</th></tr></thead>
            <tbody>
              {attributes.map(([key, value]) => (
                <tr key={key}><td>{key}</td><td>{valueText(value)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="account-people-h" class="card">
        <h2 id="account-people-h">People</h2>
        {account.members.length === 0 ? <p>No people.</p> : (
          <table class="members">
            <caption>
              {account.members.length < account.people ? `The top ${account.members.length} of ${account.people} people` : 'Its people'}, best score first
            </caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col" class="num">Score</th><th scope="col">Tier</th><th scope="col">Stage</th><th scope="col" class="num">Engagement</th></tr>
            </thead>
            <tbody>
              {account.members.map((member) => (
                <tr key={member.id}>
                  <td><a href={leadHref(member.id)}>{member.name ?? member.email ?? member.id}</a></td>
                  <td>{member.email ?? '—'}</td>
                  <td class="num">{Math.round(member.score)}</td>
                  <td>{member.tier}</td>
                  <td>{member.stage}</td>
                  <td class="num">{Math.round(member.engagement)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
