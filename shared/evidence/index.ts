// The statistics behind reports and backtests: pure functions, no I/O, imported by the backend and the console.
export * from './auc';
export * from './deciles';
export * from './paired-auc';
export * from './rate';
export * from './wilson';
