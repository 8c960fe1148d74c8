import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Card } from '../../../extension/ui/Card';
import type { LeadAccount, LeadSummary } from '../../../shared';
import { makeLead } from '../support/leads';

const anchor = new DOMRect(10, 10, 40, 20);
const show = (probability: number | null | undefined) => showLead(makeLead({ probability }));
const showLead = (lead: LeadSummary) =>
  render(<Card lead={lead} anchor={anchor} theme={undefined} takeFocus={false} now={Date.now()} onClose={() => {}} onTag={() => {}} onHover={() => {}} />);

describe('the card', () => {
  afterEach(cleanup);

  it('says how many leads like this one convert when the model is calibrated', () => {
    show(0.34);
    expect(screen.getByRole('dialog').textContent).toContain('About 1 in 3 leads like this convert');
  });

  it('reads high chances in tens, and says nothing without a calibration', () => {
    show(0.72);
    expect(screen.getByRole('dialog').textContent).toContain('About 7 in 10 leads like this convert');
    cleanup();
    show(null);
    expect(screen.getByRole('dialog').textContent).not.toContain('leads like this convert');
  });

  describe('the account line', () => {
    const account = (overrides: Partial<LeadAccount> = {}): LeadAccount => ({ id: 'acc_1', name: 'Acme Robotics', domain: 'acme-robotics.com', score: 81, tier: 'Hot', peopleEngaged: 4, ...overrides });
    const accountText = () => screen.getByRole('dialog').querySelector('.account')?.textContent ?? null;

    it('names the account, its tier and how many of its people are engaged', () => {
      showLead(makeLead({ account: account() }));
      expect(accountText()).toBe('Acme Robotics · Hot account · 4 people engaged');
    });

    it('says "person" for one, leaves the engaged part out for none, and falls back to the domain', () => {
      showLead(makeLead({ account: account({ peopleEngaged: 1 }) }));
      expect(accountText()).toBe('Acme Robotics · Hot account · 1 person engaged');
      cleanup();
      showLead(makeLead({ account: account({ name: null, tier: 'Cold', peopleEngaged: 0 }) }));
      expect(accountText()).toBe('acme-robotics.com · Cold account');
    });

    it('is absent when the lead has no account', () => {
      showLead(makeLead({ account: null }));
      expect(accountText()).toBeNull();
      expect(screen.getByRole('dialog').textContent).not.toContain('account');
      cleanup();
      showLead(makeLead());
      expect(accountText()).toBeNull();
    });

    it('shows a hostile name as text, never as markup', () => {
      const hostile = '<img src=x onerror="window.pwned=1"><b>Evil</b>';
      showLead(makeLead({ account: account({ name: hostile }) }));
      const dialog = screen.getByRole('dialog');
      expect(accountText()).toBe(`${hostile} · Hot account · 4 people engaged`);
      expect(dialog.querySelector('img')).toBeNull();
      expect(dialog.querySelector('b')).toBeNull();
    });
  });
});
