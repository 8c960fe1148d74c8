import { useEffect, useState } from 'preact/hooks';
import type { ConversionReport, ReportGroup } from '../../../shared/schemas/report';
import { api, messageOf } from '../api';
import { IntervalChart } from '../charts/IntervalChart';
import { percent, type IntervalBar } from '../charts/interval-chart';
import { lazy } from '../lazy';
import { isAdmin } from '../session';

// Admin only: loaded on demand, out of the first load.
const Challenger = lazy(() => import('../evidence/Challenger').then((m) => m.Challenger));
const Learn = lazy(() => import('../evidence/Learn').then((m) => m.Learn));

const toBar = (label: string, g: ReportGroup): IntervalBar => ({ label, rate: g.rate, low: g.low, high: g.high, n: g.n });

/** Does the score sort leads by how they convert? Conversion by tier and by score decile, with 95% intervals. */
export function Evidence() {
  const [report, setReport] = useState<ConversionReport | null>(null);
  const [error, setError] = useState('');
  const [period, setPeriod] = useState({ from: '', to: '' });
  const [challengerSet, setChallengerSet] = useState(0);

  useEffect(() => {
    const params = new URLSearchParams();
    if (period.from) params.set('from', period.from);
    if (period.to) params.set('to', period.to);
    setError('');
    api<ConversionReport>('GET', `/api/reports/conversion${params.size ? `?${params}` : ''}`).then(setReport, (e) => setError(messageOf(e)));
  }, [period.from, period.to]);

  return (
    <>
      <h1>Evidence</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Created from
          <input type="date" value={period.from} onChange={(e) => setPeriod({ ...period, from: e.currentTarget.value })} />
        </label>
        <label>
          Created up to
          <input type="date" value={period.to} onChange={(e) => setPeriod({ ...period, to: e.currentTarget.value })} />
        </label>
      </form>
      {error && <p role="alert" class="error">{error}</p>}
      {!report ? <p aria-busy="true">Loading the report…</p> : <Report report={report} />}
      {isAdmin() && (
        <>
          <Challenger refresh={challengerSet} />
          <Learn onChallenger={() => setChallengerSet((n) => n + 1)} />
        </>
      )}
    </>
  );
}

function Report({ report }: { report: ConversionReport }) {
  if (report.overall.n === 0)
    return <p>No lead of this period has an outcome yet ({report.leads} leads, all open). Set outcomes (won or lost) on leads to see how each tier converts.</p>;
  return (
    <>
      <p>
        {report.leads} leads; {report.overall.n} closed ({report.overall.won} won), {report.open} open. Overall conversion{' '}
        <strong>{percent(report.overall.rate)}</strong> (95% interval {percent(report.overall.low)} to {percent(report.overall.high)})
        {report.auc !== null && <> · the score's AUC {report.auc.toFixed(3)} (0.5 is chance)</>}.
      </p>
      <section class="card" aria-labelledby="tier-h">
        <h2 id="tier-h">Conversion by tier</h2>
        <IntervalChart title="Conversion by tier" bars={report.byTier.map((g) => toBar(g.value, g))} base={report.overall.rate} />
        <GroupTable caption="Conversion by tier" groups={report.byTier} />
      </section>
      <section class="card" aria-labelledby="decile-h">
        <h2 id="decile-h">Conversion by score decile</h2>
        <IntervalChart title="Conversion by score decile (1: highest scores)" bars={report.byDecile.map((g) => toBar(`D${g.decile}`, g))} base={report.overall.rate} />
      </section>
      <section class="card" aria-labelledby="account-tier-h">
        <h2 id="account-tier-h">Conversion by account tier</h2>
        <p class="muted">Leads grouped by their account's tier now; leads of no account (free mail, no company) apart.</p>
        <IntervalChart title="Conversion by account tier" bars={report.byAccountTier.map((g) => toBar(g.value, g))} base={report.overall.rate} />
        <GroupTable caption="Conversion by account tier" groups={report.byAccountTier} />
      </section>
    </>
  );
}

function GroupTable({ caption, groups }: { caption: string; groups: ReportGroup[] }) {
  return (
    <table>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col" class="num">Won</th>
          <th scope="col" class="num">Lost</th>
          <th scope="col" class="num">Open</th>
          <th scope="col" class="num">Rate</th>
          <th scope="col">95% interval</th>
          <th scope="col" class="num">Lift</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.value}>
            <td>{g.value}</td>
            <td class="num">{g.won}</td>
            <td class="num">{g.lost}</td>
            <td class="num">{g.open}</td>
            <td class="num">{percent(g.rate)}</td>
            <td>
              {percent(g.low)} – {percent(g.high)}
            </td>
            <td class="num">{g.lift === null ? '—' : `${g.lift.toFixed(2)}x`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
