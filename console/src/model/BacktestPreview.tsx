import type { BacktestReport } from '../../../shared/schemas/backtest';
import { percent } from '../charts/interval-chart';

const auc = (value: number | null) => (value === null ? 'n/a (needs won and lost leads)' : value.toFixed(3));
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;

/** The draft against the current model on the leads with an outcome: AUC of each, the difference, the tier moves. */
export function BacktestPreview({ report }: { report: BacktestReport }) {
  const [current, draft] = report.models;
  const comparison = report.comparison;
  return (
    <section class="card" aria-labelledby="preview-h">
      <h2 id="preview-h">Preview: the draft against the current model</h2>
      <p>
        On {report.leads} leads with a dated outcome ({percent(report.overall.rate)} won)
        {report.undated > 0 && `; ${report.undated} without an outcome date left out`}.
      </p>
      <table>
        <caption class="visually-hidden">AUC of each model</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">AUC</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Current ({current!.label})</td>
            <td>{auc(current!.auc)}</td>
          </tr>
          <tr>
            <td>Draft</td>
            <td>{auc(draft?.auc ?? null)}</td>
          </tr>
        </tbody>
      </table>
      {comparison && (
        <>
          <p>
            Difference (draft − current): <strong>{signed(comparison.difference)}</strong> (95% interval {signed(comparison.low)} to {signed(comparison.high)})
            {comparison.low <= 0 && comparison.high >= 0 && ' — not distinguishable from no difference on these leads'}.
          </p>
          <p>{comparison.tierChanges === 0 ? 'No lead changes tier.' : `${comparison.tierChanges} leads change tier:`}</p>
          {comparison.moves.length > 0 && (
            <ul class="moves">
              {comparison.moves.map((m) => (
                <li key={`${m.from}-${m.to}`}>
                  {m.from} → {m.to}: {m.leads}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
