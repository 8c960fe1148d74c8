import { useEffect, useRef, useState } from 'preact/hooks';
import type { Job, ModelCheckResponse, ModelPutResponse } from '../../../shared/schemas/api';
import type { BacktestReport } from '../../../shared/schemas/backtest';
import type { ScoringModel } from '../../../shared/schemas/model';
import { api, messageOf } from '../api';
import { followJob } from '../jobs';
import { JobProgress } from '../JobProgress';
import { BacktestPreview } from '../model/BacktestPreview';
import { addEngagementRule, addFitRule, eventText, parseModelJson, removeEngagementRule, removeFitRule, updateEngagementRule, updateFitRule } from '../model/draft';
import { predicateValue } from '../model/predicates';
import { EngagementRuleForm, FitRuleForm } from '../model/RuleForms';
import { isAdmin } from '../session';

/** The scoring model: admins edit it (form or JSON), preview it against the current one, and save it; reps read it. */
export function Model() {
  const [current, setCurrent] = useState<ScoringModel | null>(null);
  const [error, setError] = useState('');
  useEffect(() => void api<ScoringModel>('GET', '/api/model').then(setCurrent, (e) => setError(messageOf(e))), []);
  return (
    <>
      <h1>Model</h1>
      {error && <p role="alert" class="error">{error}</p>}
      {!current ? !error && <p aria-busy="true">Loading the model…</p> : isAdmin() ? <Editor current={current} onSaved={setCurrent} /> : <ModelView model={current} />}
    </>
  );
}

function Editor({ current, onSaved }: { current: ScoringModel; onSaved: (model: ScoringModel) => void }) {
  const [draft, setDraftState] = useState<ScoringModel>(current);
  const [tab, setTab] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [preview, setPreview] = useState<BacktestReport | null>(null);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const gone = useRef(false);
  useEffect(() => () => void (gone.current = true), []);

  // Any edit invalidates the preview: saving needs a preview of exactly what is saved.
  const setDraft = (next: ScoringModel) => {
    setDraftState(next);
    setPreview(null);
    setProblem('');
  };

  const showJson = () => {
    setJson(JSON.stringify(draft, null, 2));
    setTab('json');
  };
  const applyJson = (): ScoringModel | null => {
    const parsed = parseModelJson(json);
    if ('error' in parsed) {
      setProblem(parsed.error);
      return null;
    }
    setDraft(parsed.model);
    return parsed.model;
  };

  const runPreview = async () => {
    const model = tab === 'json' ? applyJson() : draft;
    if (!model) return;
    setBusy(true);
    setProblem('');
    try {
      // The API checks the draft against the shared schema (a 400 names the field at fault), then backtests it.
      await api<ModelCheckResponse>('POST', '/api/model/check', model);
      setPreview(await api<BacktestReport>('POST', '/api/reports/backtest', { model: 'current', vs: model }));
    } catch (failure) {
      setProblem(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    setBusy(true);
    setProblem('');
    try {
      const saved = await api<ModelPutResponse>('PUT', '/api/model', draft);
      const finished = await followJob(saved.job, setJob, () => gone.current);
      if (finished.state === 'done') {
        onSaved(saved.model);
        setDraftState(saved.model);
        setPreview(null);
      }
    } catch (failure) {
      setProblem(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        Version {current.version} · {current.name}. Edit the rules below, preview the draft against the current model on the leads
        with an outcome, then save: every lead is rescored.
      </p>
      <div class="tabs" role="group" aria-label="Edit as">
        <button type="button" aria-pressed={tab === 'form'} onClick={() => (tab === 'json' ? applyJson() && setTab('form') : undefined)}>Form</button>
        <button type="button" aria-pressed={tab === 'json'} onClick={() => tab === 'form' && showJson()}>JSON</button>
      </div>
      {tab === 'form' ? <RulesForm draft={draft} onChange={setDraft} /> : (
        <label class="json">
          The model as JSON
          <textarea rows={24} spellcheck={false} value={json} onInput={(e) => (setJson(e.currentTarget.value), setPreview(null))} />
        </label>
      )}
      {problem && <p role="alert" class="error">{problem}</p>}
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void runPreview()}>Preview against current</button>
        <button type="button" disabled={busy || !preview} onClick={() => void save()}>Save model</button>
        {!preview && <span class="hint">Preview the draft to save it.</span>}
      </div>
      {preview && <BacktestPreview report={preview} />}
      {job && <JobProgress job={job} what="Rescoring every lead" />}
    </>
  );
}

function RulesForm({ draft, onChange }: { draft: ScoringModel; onChange: (model: ScoringModel) => void }) {
  return (
    <form class="model-form" onSubmit={(e) => e.preventDefault()}>
      <section class="card" aria-labelledby="fit-h">
        <h2 id="fit-h">Fit rules (who the lead is)</h2>
        {draft.fit.rules.map((rule, i) => (
          <FitRuleForm key={rule.id} rule={rule} onChange={(r) => onChange(updateFitRule(draft, i, r))} onRemove={() => onChange(removeFitRule(draft, i))} />
        ))}
        <button type="button" onClick={() => onChange(addFitRule(draft))}>Add fit rule</button>
      </section>
      <section class="card" aria-labelledby="engagement-h">
        <h2 id="engagement-h">Engagement rules (what the lead did)</h2>
        {draft.engagement.rules.map((rule, i) => (
          <EngagementRuleForm key={rule.id} rule={rule} onChange={(r) => onChange(updateEngagementRule(draft, i, r))} onRemove={() => onChange(removeEngagementRule(draft, i))} />
        ))}
        <button type="button" onClick={() => onChange(addEngagementRule(draft))}>Add engagement rule</button>
      </section>
    </form>
  );
}

/** A rep's read-only view: the rules and their points. */
function ModelView({ model }: { model: ScoringModel }) {
  return (
    <>
      <p>
        Version {model.version} · {model.name}. Only an admin can change the model.
      </p>
      <table>
        <caption>Fit rules</caption>
        <thead><tr><th scope="col">Rule</th><th scope="col">When</th><th scope="col" class="num">Points</th></tr></thead>
        <tbody>
          {model.fit.rules.map((r) => (
            <tr key={r.id}>
              <td>{r.label}</td>
              <td>{r.when.map((p) => `${p.attr} ${p.op} ${predicateValue(p)}`.trim()).join(' and ') || 'always'}</td>
              <td class="num">{r.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <caption>Engagement rules</caption>
        <thead><tr><th scope="col">Rule</th><th scope="col">Event</th><th scope="col" class="num">Points</th></tr></thead>
        <tbody>
          {model.engagement.rules.map((r) => (
            <tr key={r.id}>
              <td>{r.label}</td>
              <td>{eventText(r.event)}</td>
              <td class="num">{r.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
