// Learning a points model from outcomes: pure functions, no I/O (the backend feeds them leads).
export * from './calibrate';
export * from './features';
export * from './logistic';
export * from './points';
