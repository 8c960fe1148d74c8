export * from './schemas/attributes';
export * from './schemas/event';
export * from './schemas/lead';
export * from './schemas/model';
export type * from './scoring/types';
