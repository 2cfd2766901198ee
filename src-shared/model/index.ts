export { createModel, type KernelModel, type KernelRules, type StepResult } from './model';
export type { Why } from './why';
export { sectionStrip, SECTION_SIZE, SUBSECTION_SIZE, type SectionMap, type Mapping } from './subsections';
