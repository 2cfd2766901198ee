// The model's side of a step as the UI shows it: snapshot, the rule behind
// every /proc/iomem line, and the mappings the memory map draws.
import type { ModelView } from '../../src-shared/api/contract';
import type { KernelModel, KernelRules } from '../../src-shared/model';
import { formatIomemLine } from '../../src-shared/snapshot/iomem';

export function modelView(model: KernelModel, rules: KernelRules): ModelView {
  const map = model.sections();
  return {
    rules,
    snapshot: model.snapshot(),
    explanations: model.explainIomem().map(({ line, why }) => ({ text: formatIomemLine(line), rule: why.rule, source: why.source })),
    sections: { sectionCount: map.sectionCount, subsectionCount: map.subsectionCount, mappings: map.mappings },
  };
}
