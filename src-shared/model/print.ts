// /proc/iomem as the kernel prints it (kernel/resource.c r_show).
import { formatIomemLine } from '../snapshot/iomem';
import type { IomemLine } from '../snapshot/types';
import { walk, type Resource } from './resource';
import type { Why } from './why';

export function iomemLines(root: Resource): { line: IomemLine; why?: Why }[] {
  const out: { line: IomemLine; why?: Why }[] = [];
  for (const { res, depth } of walk(root)) out.push({ line: { depth, start: res.start, end: res.end, name: res.name }, ...(res.why ? { why: res.why } : {}) });
  return out;
}

export function printIomem(root: Resource): string {
  let s = '';
  for (const { res, depth } of walk(root)) s += formatIomemLine({ depth, start: res.start, end: res.end, name: res.name }) + '\n';
  return s;
}
