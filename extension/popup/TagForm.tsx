import { useEffect, useMemo, useState } from 'preact/hooks';
import { conversionProbability, previewWithAttributes, probabilityText, type LeadDetail, type ScoringModel } from '../../shared';
import { ask } from '../ask';
import type { TagResult } from '../protocol';
import { formatPoints, formatScore } from '../ui/format';
import { tierColour } from '../ui/tier';
import { industrySuggestions, patchOf, PRODUCT_FITS, previewAttributes, savedDetail, SENIORITIES, valuesOf, type TagValues } from './form';

type Loaded = { detail: LeadDetail; model: ScoringModel };

/**
 * The fit tags of one lead. Every change is scored at once, locally, with the shared engine
 * (engagement reused from the lead's last result); Save sends only what changed, through the
 * background's queue, so an edit made offline is kept and delivered later.
 */
export function TagForm({ leadId, onBack, onSaved }: { leadId: string; onBack?: () => void; onSaved?: () => void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [initial, setInitial] = useState<TagValues | null>(null);
  const [values, setValues] = useState<TagValues | null>(null);
  const [result, setResult] = useState<TagResult | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    Promise.all([ask({ type: 'lead.detail', id: leadId }), ask({ type: 'model.get' })]).then(
      ([detail, model]) => {
        setLoaded({ detail, model });
        setInitial(valuesOf(detail));
        setValues(valuesOf(detail));
      },
      (e: Error) => setError(e.message),
    );
  }, [leadId]);

  const preview = useMemo(() => {
    if (!loaded || !values) return null;
    const { detail, model } = loaded;
    return previewWithAttributes(model, { email: detail.email, attributes: previewAttributes(detail, values), stage: detail.stage }, detail);
  }, [loaded, values]);

  if (error) return <p role="alert" class="error">Could not load this lead: {error}</p>;
  if (!loaded || !values || !initial || !preview) return <p class="muted">Loading…</p>;
  const { detail, model } = loaded;
  const patch = patchOf(initial, values);
  const set = (key: keyof TagValues) => (e: Event) => {
    setResult(null);
    setValues({ ...values, [key]: (e.currentTarget as HTMLInputElement).value });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!patch) return;
    setSaving(true);
    try {
      const answer = await ask({ type: 'lead.tag', leadId, patch });
      setResult(answer);
      if (answer.state !== 'rejected') setInitial(values);
      // Saved: the lead's score is now the saved one, and the preview compares against it.
      if (answer.state === 'saved') setLoaded({ model, detail: savedDetail(detail, answer.lead, values) });
      onSaved?.();
    } catch (err) {
      setResult({ state: 'rejected', reason: (err as Error).message });
    } finally {
      setSaving(false);
    }
  };

  const delta = preview.score - detail.score;
  return (
    <form class="tag-form" onSubmit={save} aria-label={`Tag ${detail.name ?? detail.email ?? 'lead'}`}>
      <header class="form-head">
        {onBack ? (
          <button type="button" class="link" onClick={onBack} aria-label="Back to the list">
            ←
          </button>
        ) : null}
        <div class="who">
          <div class="name">{detail.name ?? detail.email ?? detail.id}</div>
          {detail.name && detail.email ? <div class="muted">{detail.email}</div> : null}
        </div>
      </header>

      <output class="preview" aria-live="polite" data-testid="preview">
        <span class="pill big" style={{ background: tierColour(preview.tier) }}>
          {formatScore(preview.score)}
        </span>
        <span>
          {delta !== 0 ? (
            <strong class={delta > 0 ? 'up' : 'down'}>
              {formatScore(detail.score)} → {formatScore(preview.score)} ({formatPoints(delta)})
            </strong>
          ) : (
            <strong>Score {formatScore(preview.score)}</strong>
          )}
          <br />
          <span class="muted">
            {preview.tier} · Grade {preview.grade} · {preview.stage}
          </span>
          {model.calibration ? (
            <>
              <br />
              <span class="muted" data-testid="probability">
                {probabilityText(conversionProbability(model.calibration, preview.score))}
              </span>
            </>
          ) : null}
        </span>
      </output>

      <label>
        Company
        <input value={values.company} onInput={set('company')} maxLength={200} autocomplete="organization" />
      </label>
      <label>
        Industry
        <input list="industries" value={values.industry} onInput={set('industry')} maxLength={100} />
        <datalist id="industries">
          {industrySuggestions(model).map((i) => (
            <option key={i} value={i} />
          ))}
        </datalist>
      </label>
      <label>
        Seniority
        <Choice value={values.seniority} options={SENIORITIES} onChange={set('seniority')} />
      </label>
      <label>
        Company size (employees)
        <input type="number" inputMode="numeric" min={0} value={values.companySize} onInput={set('companySize')} />
      </label>
      <div class="pair">
        <label>
          Budget confirmed
          <Choice value={values.budget} options={YES_NO} onChange={set('budget')} />
        </label>
        <label>
          Decision maker
          <Choice value={values.decisionMaker} options={YES_NO} onChange={set('decisionMaker')} />
        </label>
      </div>
      <div class="pair">
        <label>
          Product fit
          <Choice value={values.productFit} options={PRODUCT_FITS} onChange={set('productFit')} />
        </label>
        <label>
          Gut rating (0-10)
          <Choice value={values.rating} options={RATINGS} onChange={set('rating')} />
        </label>
      </div>

      <div class="actions">
        <button type="submit" class="primary" disabled={!patch || saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        <SaveState result={result} />
      </div>
    </form>
  );
}

const YES_NO = ['yes', 'no'] as const;
const RATINGS = Array.from({ length: 11 }, (_, n) => String(n));

/** A select whose first option, "—", means "not set". */
function Choice({ value, options, onChange }: { value: string; options: readonly string[]; onChange: (e: Event) => void }) {
  return (
    <select value={value} onChange={onChange}>
      <option value="">—</option>
      {options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}

function SaveState({ result }: { result: TagResult | null }) {
  if (!result) return null;
  if (result.state === 'saved') {
    return (
      <span role="status" class="saved" data-state="saved">
        Saved · score {formatScore(result.lead.score)}
      </span>
    );
  }
  if (result.state === 'queued') {
    return (
      <span role="status" class="queued" data-state="queued" title={result.reason}>
        Queued · will be sent when the backend is reachable ({result.pending} waiting)
      </span>
    );
  }
  return (
    <span role="alert" class="error" data-state="rejected">
      Not saved: {result.reason}
    </span>
  );
}
