// The model's side of a timeline entry as every viewer shows it: its
// snapshot, the rule and kernel source behind each /proc/iomem line, and the
// sections the memory map draws.
import type { Explanation, ModelView } from '../api/contract';
import type { KernelModel, KernelRules } from '../model';
import { formatIomemLine } from '../snapshot/iomem';

/** The rule behind every line the model prints, keyed by the line as printed. */
export function explainLines(model: KernelModel): Explanation[] {
  return model
    .explainIomem()
    .map(({ line, why }) => ({ text: formatIomemLine(line), rule: why.rule, source: why.source }));
}

export function modelView(model: KernelModel, rules: KernelRules): ModelView {
  const map = model.sections();
  const { notModelled } = model.state.kernel;
  return {
    rules,
    snapshot: model.snapshot(),
    explanations: explainLines(model),
    sections: { sectionCount: map.sectionCount, subsectionCount: map.subsectionCount, mappings: map.mappings },
    ...(notModelled.length ? { notModelled } : {}),
  };
}
