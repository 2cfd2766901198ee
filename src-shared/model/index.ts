export { createModel, type KernelModel, type ModelState, type StepResult } from './model';
export {
  DEFAULT_KERNEL_RULES,
  KERNEL_RULE_IDS,
  KERNEL_RULES,
  type KernelRules,
  type KernelRuleSet,
} from './kernel-rules';
export type { Why } from './why';
export {
  sectionStrip,
  SECTION_SIZE,
  SUBSECTION_SIZE,
  SUBSECTIONS_PER_SECTION,
  type SectionMap,
  type Mapping,
} from './kernel/sparse';
