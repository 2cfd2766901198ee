export { StepLedger, sentText, type RealSide, type Source } from './ledger';
export { entryRows, type EntryRows } from './rows';
export { modelJsonStep, runJsonStep, summarize } from './project';
export { explainLines, modelView } from './view';
