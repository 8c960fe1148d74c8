import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Card } from '../../../extension/ui/Card';
import { makeLead } from '../support/leads';

const anchor = new DOMRect(10, 10, 40, 20);
const show = (probability: number | null | undefined) =>
  render(<Card lead={makeLead({ probability })} anchor={anchor} theme={undefined} takeFocus={false} now={Date.now()} onClose={() => {}} onTag={() => {}} onHover={() => {}} />);

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
});
