export { compileAccountModel, scoreAccount, type AccountInput, type AccountPerson, type AccountScore, type CompiledAccountModel } from './account';
export { absorbEvents, emptyAggregate, isAggregateCurrent, StaleAggregateError } from './aggregate';
export { compileModel, type CompiledEngagementRule, type CompiledFitRule, type CompiledModel } from './compile';
export { DEFAULT_ACCOUNT_MODEL, DEFAULT_MODEL } from './default-model';
export { topReasons } from './explain';
export { conversionProbability, probabilityText } from './probability';
export { previewWithAttributes, type EngagementSnapshot, type PreviewResult } from './preview';
export { scoreAggregate, scoreLead } from './score';
export { higherStage, STAGE_RANK } from './stage';
