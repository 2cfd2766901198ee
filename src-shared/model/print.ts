// /proc/iomem as the kernel prints it (kernel/resource.c r_show).

import type { IomemLine } from '../snapshot/types';
import { walk, type Resource } from './resource';
import type { Why } from './why';

export function iomemLines(root: Resource): { line: IomemLine; why?: Why }[] {
  const out: { line: IomemLine; why?: Why }[] = [];
  for (const { res, depth } of walk(root)) out.push({ line: { depth, start: res.start, end: res.end, name: res.name }, ...(res.why ? { why: res.why } : {}) });
  return out;
}

const INDENT = ['', '  ', '    ', '      ', '        ', '          '];

export function printIomem(root: Resource): string {
  const out: string[] = [];
  const stack: [Resource[], number][] = [[root.children, 0]];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const res = top[0][top[1]++];
    if (!res) {
      stack.pop();
      continue;
    }
    out.push(INDENT[Math.min(stack.length - 1, 5)]! + res.body());
    if (res.children.length) stack.push([res.children, 0]);
  }
  return out.length ? out.join('\n') + '\n' : '';
}
