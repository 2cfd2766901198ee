export { createModel, type KernelModel, type KernelRules, type StepResult } from './model';
export type { Why } from './why';
