import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL, EventName, ScoringModel, scoreLead, topReasons, type LeadAttributes, type ScorableEvent } from '../../../shared/index';
import { DAY, NOW } from '../support/models';

const at = (daysAgo: number, event: string, properties?: Record<string, unknown>): ScorableEvent => ({ event, properties, at: NOW - daysAgo * DAY });
const page = (daysAgo: number, path: string) => at(daysAgo, EventName.pageViewed, { path, url: `https://acme.test${path}` });

/** The seed practice: open 1, click 5, webinar registration 10, attendance 20. */
const seedEvents = (daysAgo: number) => [
  at(daysAgo, EventName.emailOpened),
  at(daysAgo, EventName.emailLinkClicked),
  at(daysAgo, EventName.webinarRegistered),
  at(daysAgo, EventName.webinarAttended),
];

const idealFit: LeadAttributes = {
  industry: 'SaaS',
  seniority: 'vp',
  jobTitle: 'VP Marketing',
  budget: true,
  decisionMaker: true,
  companySize: 200,
  emailDomainType: 'business',
};

const score = (attributes: LeadAttributes, events: ScorableEvent[]) => scoreLead(DEFAULT_MODEL, { attributes }, events, NOW);

describe('the default model (seed practice)', () => {
  it('is a valid model, version 1, Hot at 70', () => {
    expect(ScoringModel.parse(DEFAULT_MODEL)).toEqual(DEFAULT_MODEL);
    expect(DEFAULT_MODEL.version).toBe(1);
    expect(DEFAULT_MODEL.tiers[0]).toEqual({ name: 'Hot', min: 70 });
  });

  it('scores the seed events 1 + 5 + 10 + 20 = 36; a free-mail address costs 10', () => {
    const r = score({ emailDomainType: 'free' }, seedEvents(0));
    expect(r.breakdown.map((l) => [l.ruleId, l.points])).toEqual([
      ['free-email', -10],
      ['email-opened', 1],
      ['email-link-clicked', 5],
      ['webinar-registered', 10],
      ['webinar-attended', 20],
    ]);
    expect([r.fit, r.engagement, r.unclamped, r.score]).toEqual([-10, 36, 26, 26]);
    expect([r.grade, r.tier, r.stage]).toEqual(['D', 'Cold', 'Prospect']);
    expect(r.milestones).toEqual([{ ruleId: 'webinar-attended', label: 'Attended a webinar', at: NOW }]);
  });

  it('an ideal-fit VP who attended a webinar today is a Hot, grade A SQL (fit 50 + engagement 38 = 88)', () => {
    const r = score(idealFit, [...seedEvents(0), at(0, EventName.emailOpened), at(0, EventName.emailOpened)]);
    // fit: industry 10 + director-or-above 10 + senior title 5 + budget 10 + decision maker 10 + size 5
    expect(r.fit).toBe(50);
    expect(r.engagement).toBe(38);
    expect(r.score).toBe(88);
    expect([r.grade, r.tier, r.stage]).toEqual(['A', 'Hot', 'SQL']);
    expect(r.stageReason).toBe('SQL: score 88 ≥ 80 and fit 50 ≥ 35.');
  });

  it('the same engagement 30 days ago counts half (19): 69 is Warm, not Hot', () => {
    const r = score(idealFit, [...seedEvents(30), at(30, EventName.emailOpened), at(30, EventName.emailOpened)]);
    expect(r.engagement).toBe(19);
    expect(r.score).toBe(69);
    expect(r.tier).toBe('Warm');
    expect(r.stage).toBe('MQL');
  });

  it('a demo request makes even a Cold lead an SQL', () => {
    const r = score({ emailDomainType: 'free' }, [at(3, EventName.demoRequested)]);
    expect(r.engagement).toBe(round(30 * 2 ** (-3 / 30)));
    expect(r.tier).toBe('Cold');
    expect(r.stage).toBe('SQL');
    expect(r.stageReason).toBe('SQL: milestone "Requested a demo" reached.');
  });

  it('pricing visits: only the 3 most recent count, each decayed by its own age', () => {
    const r = score({}, [0, 1, 2, 3, 4].map((d) => page(d, d % 2 ? '/pricing/' : '/pricing')));
    const line = r.breakdown.find((l) => l.ruleId === 'pricing-page')!;
    expect(line.count).toBe(3);
    expect(line.points).toBe(29.32); // 10 x (1 + 2^(-1/30) + 2^(-2/30)) = 29.3200...
    // every page view also counts 1 point, decayed: 1 + 2^(-1/30) + ... + 2^(-4/30) = 4.7768
    expect(r.breakdown.find((l) => l.ruleId === 'page-viewed')).toMatchObject({ count: 5, points: 4.78 });
    expect(r.engagement).toBe(34.1);
    expect(r.milestones.map((m) => [m.ruleId, m.at])).toEqual([['pricing-page', NOW]]);
  });

  it('a job seeker on a free address with careers visits scores 0, never below', () => {
    const r = score({ emailDomainType: 'free' }, [page(0, '/careers'), page(0, '/jobs/backend-engineer'), page(0, '/careers/'), at(0, EventName.emailOpened)]);
    expect(r.breakdown.find((l) => l.ruleId === 'careers-page')).toMatchObject({ count: 3, points: -30 });
    expect(r.breakdown.find((l) => l.ruleId === 'page-viewed')).toMatchObject({ count: 3, points: 3 });
    expect(r.unclamped).toBe(-10 - 30 + 3 + 1);
    expect(r.score).toBe(0);
    expect(r.tier).toBe('Cold');
  });

  it('a disposable address costs 25; fit tags from the popup add up to the 50 cap', () => {
    expect(score({ emailDomainType: 'disposable' }, []).fit).toBe(-25);
    const tagged = score({ ...idealFit, productFit: 'high', rating: 9 }, []);
    expect(tagged.unclamped).toBe(65);
    expect(tagged.fit).toBe(50);
  });

  it('engagement is capped at 50 and each rule at its maxCount', () => {
    const events = [
      ...Array.from({ length: 12 }, () => at(0, EventName.emailOpened)),
      ...Array.from({ length: 6 }, () => at(0, EventName.emailLinkClicked)),
      ...Array.from({ length: 3 }, () => at(0, EventName.webinarAttended)),
    ];
    const r = score({}, events);
    expect(r.breakdown.map((l) => [l.ruleId, l.count, l.points])).toEqual([
      ['email-opened', 10, 10],
      ['email-link-clicked', 5, 25],
      ['webinar-attended', 2, 40],
    ]);
    expect(r.unclamped).toBe(75);
    expect(r.engagement).toBe(50);
    expect(r.score).toBe(50);
  });

  it('answers "why?": the top reasons by absolute points', () => {
    const r = score({ ...idealFit, emailDomainType: 'free' }, [page(0, '/careers'), ...seedEvents(0)]);
    expect(topReasons(r.breakdown, 3)).toEqual([
      { label: 'Attended a webinar', points: 20 },
      { label: 'Target industry', points: 10 },
      { label: 'Director or above', points: 10 },
    ]);
    expect(topReasons(r.breakdown, 100).map((x) => x.label)).toContain('Personal email address');
    expect(topReasons([{ ruleId: 'a', kind: 'engagement', label: 'Faded', count: 1, points: 0 }, { ruleId: 'b', kind: 'fit', label: 'Free mail', count: 1, points: -10 }])).toEqual([
      { label: 'Free mail', points: -10 },
    ]);
  });
});

describe('the "why 72?" example in docs/SCORING.md', () => {
  it('adds up line by line as the document says', () => {
    const attributes: LeadAttributes = { industry: 'Software', seniority: 'director', budget: true, companySize: 120, emailDomainType: 'business' };
    const events = [
      at(40, EventName.emailOpened),
      at(12, EventName.emailOpened),
      at(12, EventName.emailLinkClicked),
      at(10, EventName.webinarRegistered),
      at(3, EventName.webinarAttended),
      page(2, '/pricing'),
      page(2, '/product'),
      at(1, EventName.emailOpened),
      at(0, EventName.emailOpened),
      page(20, '/careers'),
    ];
    const r = score(attributes, events);
    expect(r.breakdown.map((l) => [l.label, l.count, l.points])).toEqual([
      ['Target industry', 1, 10],
      ['Director or above', 1, 10],
      ['Budget confirmed', 1, 10],
      ['Company size 50-5,000', 1, 5],
      ['Viewed pages', 3, 2.54],
      ['Opened an email', 4, 3.13],
      ['Clicked an email link', 1, 3.79],
      ['Registered for a webinar', 1, 7.94],
      ['Attended a webinar', 1, 18.66],
      ['Viewed pricing', 1, 9.55],
      ['Viewed careers pages', 1, -8.57],
    ]);
    expect([r.score, r.fit, r.engagement, r.grade, r.tier, r.stage]).toEqual([72.04, 35, 37.04, 'A', 'Hot', 'MQL']);
    expect(r.stageReason).toBe('MQL: score 72.04 ≥ 50.');
    const later = scoreLead(DEFAULT_MODEL, { attributes }, events, NOW + 3 * DAY);
    expect([later.score, later.tier]).toEqual([69.18, 'Warm']);
  });
});

function round(x: number) {
  return Math.round(x * 100) / 100;
}
