export { StepLedger, sentText, type RealSide, type Source } from './ledger';
export { entryRows, type EntryRows } from './rows';
export { modelJsonStep, runJson, runJsonStep, summarize, type RunHead } from './project';
export { explainLines, modelView } from './view';
