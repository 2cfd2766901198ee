// One 128 MiB section's 64 sub-sections of 2 MiB, from the model's mappings:
// a sub-section is active when a mapping touches it (mm/sparse.c
// section_activate marks every sub-section a range overlaps), and its owner
// is the mapping that covers it.
import {
  SECTION_SIZE,
  SUBSECTION_SIZE,
  SUBSECTIONS_PER_SECTION,
  type Mapping,
} from '../../../src-shared/model/kernel/sparse';

export interface SubsectionCell {
  index: number;
  start: number;
  active: boolean;
  owner?: string;
  kind?: Mapping['kind'];
}

export function stripOf(section: number, mappings: Mapping[]): SubsectionCell[] {
  const base = section * SECTION_SIZE;
  return Array.from({ length: SUBSECTIONS_PER_SECTION }, (_, index) => {
    const start = base + index * SUBSECTION_SIZE;
    const end = start + SUBSECTION_SIZE - 1;
    const m = mappings.find((x) => x.start <= end && x.end >= start);
    return { index, start, active: !!m, ...(m ? { owner: m.owner, kind: m.kind } : {}) };
  });
}
