import { z } from 'zod';

export const Seniority = z.enum(['entry', 'senior', 'manager', 'director', 'vp', 'c-level', 'owner']);
export const ProductFit = z.enum(['none', 'low', 'medium', 'high']);
export const EmailDomainType = z.enum(['business', 'free', 'disposable']);
export type EmailDomainType = z.infer<typeof EmailDomainType>;

const Scalar = z.union([z.string().max(500), z.number().finite(), z.boolean()]);
export type Scalar = z.infer<typeof Scalar>;

/** Custom attribute keys: a letter first, then letters, digits, '_', '-' or '.'. */
export const CUSTOM_KEY = /^[A-Za-z][\w.-]{0,63}$/;

/**
 * A lead's fit attributes. The typed keys are the ones reps tag and models
 * usually score; any other key is a custom scalar attribute.
 * `emailDomainType` is derived from the email and never set by hand.
 */
export const LeadAttributes = z
  .object({
    industry: z.string().trim().min(1).max(100),
    jobTitle: z.string().trim().min(1).max(200),
    seniority: Seniority,
    companySize: z.number().int().min(0).max(10_000_000),
    annualRevenue: z.number().min(0),
    country: z.string().trim().min(2).max(60),
    budget: z.boolean(),
    decisionMaker: z.boolean(),
    productFit: ProductFit,
    source: z.string().trim().min(1).max(100),
    rating: z.number().int().min(0).max(10),
    emailDomainType: EmailDomainType,
  })
  .partial()
  .catchall(Scalar)
  .superRefine((attrs, ctx) => {
    for (const key of Object.keys(attrs)) {
      if (!CUSTOM_KEY.test(key)) ctx.addIssue({ code: 'custom', message: `invalid attribute key "${key}"`, path: [key] });
    }
  });
export type LeadAttributes = z.infer<typeof LeadAttributes>;

/**
 * The attribute keys a rep can tag from the extension popup, in display order. `company` is a
 * custom attribute: it names the lead's account (and puts a free-mail lead in one).
 */
export const TAGGABLE_ATTRIBUTES = ['company', 'industry', 'seniority', 'companySize', 'budget', 'decisionMaker', 'productFit', 'rating'] as const;
