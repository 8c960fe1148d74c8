import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_MODEL, LeadDetail, type LeadPatch, type ScoringModel } from '../../../shared/index';
import type { TagResult } from '../../../extension/protocol';
import { patchOf, previewAttributes, valuesOf } from '../../../extension/popup/form';
import { TagForm } from '../../../extension/popup/TagForm';
import { makeLead } from '../support/leads';

const now = new Date().toISOString();
const detail = LeadDetail.parse({
  ...makeLead({ id: 'alice', email: 'alice@acme.example', name: 'Alice Example', score: 33, fit: 10, engagement: 23, grade: 'C', tier: 'Cold', stage: 'Prospect' }),
  attributes: [
    { key: 'industry', value: 'Software', setBy: 'rep', setAt: now },
    { key: 'emailDomainType', value: 'business', setBy: 'derived', setAt: now },
  ],
  breakdown: [
    { ruleId: 'target-industry', kind: 'fit', label: 'Target industry', count: 1, points: 10 },
    { ruleId: 'webinar-attended', kind: 'engagement', label: 'Attended a webinar', count: 1, points: 20 },
    { ruleId: 'email-opened', kind: 'engagement', label: 'Opened an email', count: 3, points: 3 },
  ],
  stageHistory: [],
  outcome: null,
  timeline: { events: [], nextCursor: null },
});

describe('tag form values', () => {
  it('sends only what changed; an emptied field clears it; the gut rating is the patch’s rating', () => {
    const initial = valuesOf(detail);
    expect(initial).toMatchObject({ company: '', industry: 'Software', seniority: '', budget: '' });
    expect(patchOf(initial, initial)).toBeNull();
    expect(patchOf(initial, { ...initial, industry: '', seniority: 'vp', budget: 'no', rating: '7', companySize: '250' })).toEqual({
      attributes: { industry: null, seniority: 'vp', budget: false, companySize: 250 },
      rating: 7,
    });
  });

  it('ignores values the schema would refuse instead of sending them', () => {
    const initial = valuesOf(detail);
    expect(patchOf(initial, { ...initial, companySize: '-5', rating: '11' })).toBeNull();
  });

  it("tags the lead's company, which puts it in that company's account", () => {
    const initial = valuesOf(detail);
    expect(patchOf(initial, { ...initial, company: '  Acme Robotics ' })).toEqual({ attributes: { company: 'Acme Robotics' } });
    expect(patchOf({ ...initial, company: 'Acme' }, { ...initial, company: '' })).toEqual({ attributes: { company: null } });
  });

  it('keeps the attributes the form does not show (such as the email domain type) for the preview', () => {
    expect(previewAttributes(detail, { ...valuesOf(detail), seniority: 'vp' })).toEqual({ industry: 'Software', emailDomainType: 'business', seniority: 'vp' });
  });
});

describe('TagForm', () => {
  let tags: { leadId: string; patch: LeadPatch }[];
  let answer: TagResult;
  let model: ScoringModel;

  beforeEach(() => {
    model = DEFAULT_MODEL;
    fakeBrowser.reset();
    tags = [];
    fakeBrowser.runtime.onMessage.addListener(async (raw: unknown) => {
      const message = raw as { type: string; leadId: string; patch: LeadPatch };
      if (message.type === 'lead.detail') return { ok: true, data: detail };
      if (message.type === 'model.get') return { ok: true, data: model };
      if (message.type === 'lead.tag') {
        tags.push({ leadId: message.leadId, patch: message.patch });
        return { ok: true, data: answer };
      }
      return { ok: false, error: 'invalid_message', message: 'unexpected' };
    });
  });
  afterEach(() => {
    cleanup();
    fakeBrowser.reset();
  });

  it('shows each tag’s effect on score, tier, grade and stage at once, before saving', async () => {
    render(<TagForm leadId="alice" />);
    const preview = await screen.findByTestId('preview');
    expect(preview.textContent).toContain('Score 33');
    expect(preview.textContent).toContain('Cold · Grade C · Prospect');

    fireEvent.change(screen.getByLabelText('Seniority'), { target: { value: 'vp' } });
    expect(preview.textContent).toContain('33 → 43 (+10)');
    expect(preview.textContent).toContain('Warm · Grade C · Prospect');

    fireEvent.change(screen.getByLabelText('Budget confirmed'), { target: { value: 'yes' } });
    expect(preview.textContent).toContain('33 → 53 (+20)');
    expect(preview.textContent).toContain('Warm · Grade B · MQL');
    expect(tags).toEqual([]);
  });

  it('reads the chance to convert off a calibrated model, for the score the tags would give', async () => {
    // 33 points: -3 + 0.05 x 33 = -1.35 -> 21%, about 1 in 5; 43 points: -0.85 -> 30%, about 1 in 3.
    model = { ...DEFAULT_MODEL, calibration: { intercept: -3, slope: 0.05 } };
    render(<TagForm leadId="alice" />);
    const probability = await screen.findByTestId('probability');
    expect(probability.textContent).toBe('about 1 in 5 leads like this convert');
    fireEvent.change(screen.getByLabelText('Seniority'), { target: { value: 'vp' } });
    expect(probability.textContent).toBe('about 1 in 3 leads like this convert');
  });

  it('says nothing about a chance to convert when the model has no calibration', async () => {
    render(<TagForm leadId="alice" />);
    await screen.findByTestId('preview');
    expect(screen.queryByTestId('probability')).toBeNull();
  });

  it('saves the changed tags and says when they were queued because the backend is away', async () => {
    answer = { state: 'queued', reason: 'Could not reach http://localhost:8787', pending: 2 };
    render(<TagForm leadId="alice" />);
    await screen.findByTestId('preview');
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Decision maker'), { target: { value: 'yes' } });
    fireEvent.change(screen.getByLabelText('Gut rating (0-10)'), { target: { value: '9' } });
    fireEvent.click(save);
    const state = await screen.findByText(/^Queued/);
    expect(state.dataset.state).toBe('queued');
    expect(state.getAttribute('role')).toBe('status');
    expect(tags).toEqual([{ leadId: 'alice', patch: { attributes: { decisionMaker: true }, rating: 9 } }]);
  });

  it('shows the saved score', async () => {
    answer = { state: 'saved', lead: makeLead({ id: 'alice', score: 53 }) };
    render(<TagForm leadId="alice" />);
    await screen.findByTestId('preview');
    fireEvent.change(screen.getByLabelText('Product fit'), { target: { value: 'high' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText('Saved · score 53')).dataset.state).toBe('saved');
  });

  it('compares the preview against the newly saved score after a save, not the score the form opened with', async () => {
    answer = { state: 'saved', lead: makeLead({ id: 'alice', email: 'alice@acme.example', name: 'Alice Example', score: 43, fit: 20, engagement: 23, tier: 'Warm', grade: 'C', stage: 'Prospect' }) };
    render(<TagForm leadId="alice" />);
    const preview = await screen.findByTestId('preview');
    fireEvent.change(screen.getByLabelText('Seniority'), { target: { value: 'vp' } });
    expect(preview.textContent).toContain('33 → 43 (+10)');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved · score 43');
    // Saved: nothing differs from the lead as it now stands.
    expect(preview.textContent).toContain('Score 43');
    expect(preview.textContent).not.toContain('→');
    // The next change is measured from 43.
    fireEvent.change(screen.getByLabelText('Budget confirmed'), { target: { value: 'yes' } });
    expect(preview.textContent).toContain('43 → 53 (+10)');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findAllByText(/^Saved · score/);
    expect(tags.at(-1)).toEqual({ leadId: 'alice', patch: { attributes: { budget: true } } });
  });
});
