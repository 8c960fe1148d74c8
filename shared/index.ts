export * from './email';
export * from './linkedin';
export * from './schemas/api';
export * from './schemas/attributes';
export * from './schemas/event';
export * from './schemas/import';
export * from './schemas/lead';
export * from './schemas/account';
export * from './schemas/lead-list';
export * from './schemas/session';
export * from './schemas/settings';
export * from './schemas/model';
export * from './schemas/report';
export * from './schemas/backtest';
export * from './schemas/challenger';
export * from './schemas/learn';
export * from './schemas/text';
export type * from './scoring/types';
// The scoring engine. Deliberately not shared/email-domains: its lists are megabytes, and the
// extension imports this barrel; the backend imports that module directly.
export * from './scoring';
export * from './schemas/webhooks';
