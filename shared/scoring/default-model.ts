import { EventName } from '../schemas/event';
import type { AccountModel, AttributePredicate, ScoringModel } from '../schemas/model';

const TARGET_INDUSTRY: AttributePredicate = { attr: 'industry', op: 'matches', pattern: '\\b(software|saas|fin ?tech|information technology)\\b' };

/**
 * Accounts: a named target account and the fit of the company are up to 50, and so is how engaged
 * its people are: the top three people's engagement summed (one champion alone cannot make an
 * account Hot), plus 5 for each person with 5+ engagement, up to 20 (a buying committee forming).
 */
export const DEFAULT_ACCOUNT_MODEL: AccountModel = {
  fit: {
    max: 50,
    rules: [
      { id: 'target-account', label: 'Target account', when: [{ attr: 'targetAccount', op: 'eq', value: true }], points: 30 },
      { id: 'account-industry', label: 'Target industry', when: [TARGET_INDUSTRY], points: 10 },
      { id: 'account-size', label: 'Company size 50-5,000', when: [{ attr: 'companySize', op: 'between', min: 50, max: 5000 }], points: 10 },
    ],
  },
  engagement: { max: 50, topPeople: 3, engagedMin: 5, pointsPerEngaged: 5, maxEngagedPoints: 20 },
  tiers: [
    { name: 'Hot', min: 70 },
    { name: 'Warm', min: 40 },
    { name: 'Cold', min: 0 },
  ],
};

/**
 * The seed practice as a model. Fit and engagement are each worth up to 50, so a Hot lead (70+)
 * must both fit and be active. Engagement halves every 30 days: B2B buying cycles run one to
 * three months, so last month's webinar still counts half and last quarter's email opens about an
 * eighth, while a lead that went quiet drops out of Hot within weeks. Careers-page visits decay
 * over 90 days: a job seeker stays a job seeker longer than a buyer stays warm.
 */
export const DEFAULT_MODEL: ScoringModel = {
  version: 1,
  name: 'Default B2B model',
  halfLifeDays: 30,
  fit: {
    max: 50,
    rules: [
      { id: 'target-industry', label: 'Target industry', when: [TARGET_INDUSTRY], points: 10 },
      { id: 'senior-role', label: 'Director or above', when: [{ attr: 'seniority', op: 'in', values: ['director', 'vp', 'c-level', 'owner'] }], points: 10 },
      {
        id: 'senior-title',
        label: 'Senior job title',
        when: [{ attr: 'jobTitle', op: 'matches', pattern: '\\b(chief|ceo|cto|cfo|coo|cmo|cio|cro|vp|vice president|head of|director|founder|president|owner)\\b' }],
        points: 5,
      },
      { id: 'budget-confirmed', label: 'Budget confirmed', when: [{ attr: 'budget', op: 'eq', value: true }], points: 10 },
      { id: 'decision-maker', label: 'Decision maker', when: [{ attr: 'decisionMaker', op: 'eq', value: true }], points: 10 },
      { id: 'company-size', label: 'Company size 50-5,000', when: [{ attr: 'companySize', op: 'between', min: 50, max: 5000 }], points: 5 },
      { id: 'product-fit-high', label: 'High product fit', when: [{ attr: 'productFit', op: 'eq', value: 'high' }], points: 10 },
      { id: 'rep-rating', label: 'Rep rates 8+', when: [{ attr: 'rating', op: 'gte', value: 8 }], points: 5 },
      { id: 'free-email', label: 'Personal email address', when: [{ attr: 'emailDomainType', op: 'eq', value: 'free' }], points: -10 },
      { id: 'disposable-email', label: 'Disposable email address', when: [{ attr: 'emailDomainType', op: 'eq', value: 'disposable' }], points: -25 },
    ],
  },
  engagement: {
    max: 50,
    rules: [
      { id: 'page-viewed', label: 'Viewed pages', event: EventName.pageViewed, points: 1, maxPoints: 10 },
      { id: 'email-opened', label: 'Opened an email', event: EventName.emailOpened, points: 1, maxCount: 10 },
      { id: 'email-link-clicked', label: 'Clicked an email link', event: EventName.emailLinkClicked, points: 5, maxCount: 5 },
      { id: 'webinar-registered', label: 'Registered for a webinar', event: EventName.webinarRegistered, points: 10, maxCount: 2 },
      { id: 'webinar-attended', label: 'Attended a webinar', event: EventName.webinarAttended, points: 20, maxCount: 2, milestone: true },
      { id: 'demo-requested', label: 'Requested a demo', event: EventName.demoRequested, points: 30, maxCount: 1, milestone: true },
      {
        id: 'pricing-page',
        label: 'Viewed pricing',
        event: EventName.pageViewed,
        where: [{ prop: 'path', op: 'glob', pattern: '/**/pricing*' }],
        points: 10,
        maxCount: 3,
        milestone: true,
      },
      { id: 'content-download', label: 'Downloaded content', event: EventName.fileDownloaded, points: 5, maxCount: 4 },
      { id: 'form-submitted', label: 'Submitted a form', event: EventName.formSubmitted, points: 10, maxCount: 3 },
      {
        id: 'careers-page',
        label: 'Viewed careers pages',
        event: EventName.pageViewed,
        where: [{ prop: 'path', op: 'glob', pattern: '/**/{careers,jobs}/**' }],
        points: -10,
        maxCount: 3,
        halfLifeDays: 90,
      },
    ],
  },
  grades: [
    { grade: 'A', minFit: 35 },
    { grade: 'B', minFit: 25 },
    { grade: 'C', minFit: 10 },
  ],
  tiers: [
    { name: 'Hot', min: 70 },
    { name: 'Warm', min: 40 },
    { name: 'Cold', min: 0 },
  ],
  stages: {
    MQL: [{ minScore: 50 }, { minFit: 30, minEngagement: 10 }],
    SQL: [{ milestone: 'demo-requested' }, { minScore: 80, minFit: 35 }],
  },
  accounts: DEFAULT_ACCOUNT_MODEL,
};
