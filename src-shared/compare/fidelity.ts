// Real vs model (design.md "Fidelity"): /proc/iomem as sets of
// (depth, start, end, name) lines without the four kernel-image lines, and
// memory blocks as sets of (id, state, node). total = |union|, matched = |intersection|.
import { parseIomem, formatIomemLine } from '../snapshot/iomem';
import type { IomemLine, MemoryBlockInfo, Snapshot } from '../snapshot/types';

export const KERNEL_IMAGE_LINES = new Set(['Kernel code', 'Kernel rodata', 'Kernel data', 'Kernel bss']);

export interface Fidelity {
  matched: number;
  total: number;
}

export type Side = 'both' | 'real' | 'model';

export interface IomemDiffRow {
  side: Side;
  line: IomemLine;
  text: string;
}

export interface BlockDiffRow {
  side: Side;
  id: number;
  real?: MemoryBlockInfo;
  model?: MemoryBlockInfo;
}

export interface Comparison {
  fidelity: Fidelity;
  iomem: IomemDiffRow[];
  blocks: BlockDiffRow[];
}

const key = (l: IomemLine) => `${l.depth}|${l.start}|${l.end}|${l.name}`;
const blockKey = (b: MemoryBlockInfo) => `${b.id}|${b.state}|${b.node}`;

export function countedIomem(text: string): IomemLine[] {
  return parseIomem(text).lines.filter((l) => !KERNEL_IMAGE_LINES.has(l.name));
}

/** Rows of both trees in address order (then depth), each marked as in both, real only or model only. */
export function diffIomem(realText: string, modelText: string): IomemDiffRow[] {
  const real = countedIomem(realText);
  const model = countedIomem(modelText);
  const inModel = new Set(model.map(key));
  const inReal = new Set(real.map(key));
  const rows: IomemDiffRow[] = [
    ...real.map((line) => ({ side: (inModel.has(key(line)) ? 'both' : 'real') as Side, line, text: formatIomemLine(line) })),
    ...model.filter((l) => !inReal.has(key(l))).map((line) => ({ side: 'model' as Side, line, text: formatIomemLine(line) })),
  ];
  return rows.sort((a, b) => a.line.start - b.line.start || a.line.depth - b.line.depth || a.line.end - b.line.end || (a.side === 'model' ? 1 : 0) - (b.side === 'model' ? 1 : 0));
}

export function diffBlocks(real: MemoryBlockInfo[], model: MemoryBlockInfo[]): BlockDiffRow[] {
  const r = new Map(real.map((b) => [b.id, b]));
  const m = new Map(model.map((b) => [b.id, b]));
  const ids = [...new Set([...r.keys(), ...m.keys()])].sort((a, b) => a - b);
  return ids.map((id) => {
    const rb = r.get(id);
    const mb = m.get(id);
    const side: Side = rb && mb && blockKey(rb) === blockKey(mb) ? 'both' : rb && !mb ? 'real' : !rb && mb ? 'model' : 'real';
    return { side, id, ...(rb ? { real: rb } : {}), ...(mb ? { model: mb } : {}) };
  });
}

export function compareSnapshots(real: Snapshot, model: Snapshot): Comparison {
  const iomem = diffIomem(real.iomem, model.iomem);
  const blocks = diffBlocks(real.memoryBlocks, model.memoryBlocks);
  const realKeys = new Set(real.memoryBlocks.map(blockKey));
  const modelKeys = new Set(model.memoryBlocks.map(blockKey));
  let bothBlocks = 0;
  for (const k of realKeys) if (modelKeys.has(k)) bothBlocks++;
  const iomemBoth = iomem.filter((r) => r.side === 'both').length;
  return {
    fidelity: { matched: iomemBoth + bothBlocks, total: iomem.length + realKeys.size + modelKeys.size - bothBlocks },
    iomem,
    blocks,
  };
}
