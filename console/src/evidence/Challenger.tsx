import { useEffect, useState } from 'preact/hooks';
import type { ChallengerReport } from '../../../shared/schemas/challenger';
import { api, ApiFailure, messageOf } from '../api';
import { formatDate } from '../format';

const auc = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;

/** Champion (the current model) against the challenger on the outcomes since it started (admin). */
export function Challenger({ refresh }: { refresh: number }) {
  const [report, setReport] = useState<ChallengerReport | null | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    api<ChallengerReport>('GET', '/api/reports/challenger').then(setReport, (failure) => {
      if (failure instanceof ApiFailure && failure.code === 'no_challenger') setReport(null);
      else setError(messageOf(failure));
    });
  }, [refresh]);

  return (
    <section class="card" aria-labelledby="challenger-h">
      <h2 id="challenger-h">Champion and challenger</h2>
      {error && <p role="alert" class="error">{error}</p>}
      {report === undefined ? !error && <p aria-busy="true">Loading…</p> : report === null ? (
        <p>No challenger is running. Learn a model below and save it as the challenger to compare it with the current model on the outcomes to come.</p>
      ) : (
        <>
          <p>
            Challenger "{report.challenger.label}" since {formatDate(report.startedAt)}: {report.leads} outcomes since then.
          </p>
          <table>
            <caption class="visually-hidden">AUC of champion and challenger</caption>
            <thead><tr><th scope="col">Model</th><th scope="col">AUC</th></tr></thead>
            <tbody>
              <tr><td>Champion ({report.champion.label})</td><td>{auc(report.champion.auc)}</td></tr>
              <tr><td>Challenger ({report.challenger.label})</td><td>{auc(report.challenger.auc)}</td></tr>
            </tbody>
          </table>
          <p>
            Difference (challenger − champion): {signed(report.comparison.difference)} (95% interval {signed(report.comparison.low)} to {signed(report.comparison.high)}); {report.comparison.tierChanges} leads would change tier.
          </p>
        </>
      )}
    </section>
  );
}
