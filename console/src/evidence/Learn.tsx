import { useEffect, useRef, useState } from 'preact/hooks';
import type { Job, ModelPutResponse } from '../../../shared/schemas/api';
import type { ChallengerResponse } from '../../../shared/schemas/challenger';
import type { LearnResponse } from '../../../shared/schemas/learn';
import { api, messageOf } from '../api';
import { CalibrationChart } from '../charts/CalibrationChart';
import { followJob } from '../jobs';
import { JobProgress } from '../JobProgress';

type Interval = { auc: number; low: number; high: number } | null;
const aucText = (i: Interval) => (i ? `${i.auc.toFixed(3)} (95% interval ${i.low.toFixed(3)} to ${i.high.toFixed(3)})` : 'n/a');

/** "Learn a model" (admin): fit one on the outcomes, show how it does on held-out leads, save it as challenger or adopt it. */
export function Learn({ onChallenger }: { onChallenger: () => void }) {
  const [learned, setLearned] = useState<LearnResponse | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [job, setJob] = useState<Job | null>(null);
  const gone = useRef(false);
  useEffect(() => () => void (gone.current = true), []);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const learn = () => act(async () => void setLearned(await api<LearnResponse>('POST', '/api/models/learn', {})));
  const saveChallenger = () =>
    act(async () => {
      await api<ChallengerResponse>('PUT', '/api/model/challenger', learned!.model);
      setDone('Saved as the challenger: it is scored beside the current model from now on.');
      onChallenger();
    });
  const adopt = () =>
    act(async () => {
      const saved = await api<ModelPutResponse>('PUT', '/api/model', learned!.model);
      const finished = await followJob(saved.job, setJob, () => gone.current);
      if (finished.state === 'done') setDone(`Adopted: the learned model is version ${saved.model.version}.`);
    });

  return (
    <section class="card" aria-labelledby="learn-h">
      <h2 id="learn-h">Learn a model from the outcomes</h2>
      <button type="button" disabled={busy} onClick={() => void learn()}>Learn a model</button>
      {error && <p role="alert" class="error">{error}</p>}
      {learned && <LearnReport learned={learned} />}
      {learned && (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => void saveChallenger()}>Save as challenger</button>
          <button type="button" disabled={busy} onClick={() => void adopt()}>Adopt</button>
        </div>
      )}
      {job && <JobProgress job={job} what="Rescoring every lead" />}
      {done && <p role="status">{done}</p>}
    </section>
  );
}

function LearnReport({ learned: { report } }: { learned: LearnResponse }) {
  const { holdout } = report;
  return (
    <>
      <p>
        Learned on {report.leads.train} leads, tested on {report.leads.holdout} held-out leads ({report.leads.won} won, {report.leads.lost} lost in all).
      </p>
      {report.leakage.length > 0 && (
        <div class="notice warning" role="alert">
          <p>Possible leakage: these alone rank the outcomes almost perfectly, so they are likely filled in after the sale. Leave them out before adopting.</p>
          <ul>
            {report.leakage.map((l) => (
              <li key={l.feature}>
                {l.feature} (AUC {l.auc.toFixed(3)})
              </li>
            ))}
          </ul>
        </div>
      )}
      <table>
        <caption>AUC on the held-out leads</caption>
        <thead><tr><th scope="col">Ranking by</th><th scope="col">AUC</th></tr></thead>
        <tbody>
          <tr><td>Learned model</td><td>{aucText(holdout.points)}</td></tr>
          <tr><td>Current model</td><td>{aucText(holdout.current)}</td></tr>
          <tr><td>Rep rating{holdout.rating && ` (${holdout.rating.leads} leads)`}</td><td>{aucText(holdout.rating)}</td></tr>
        </tbody>
      </table>
      <h3>Calibration by decile</h3>
      <CalibrationChart points={holdout.calibration} />
    </>
  );
}
