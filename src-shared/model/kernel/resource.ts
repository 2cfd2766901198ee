// The iomem resource tree, after kernel/resource.c: inclusive [start, end]
// ranges, children sorted by start and never overlapping, each inside its parent.
import { why, type Why } from '../why';
import { alignDown, alignUp } from '../../units';
import { EBUSY, KernelError } from './errno';

export const IORESOURCE_MEM = 0x200;
export const IORESOURCE_SYSRAM = 0x01000000;
export const IORESOURCE_SYSRAM_DRIVER_MANAGED = 0x02000000;
export const IORESOURCE_BUSY = 0x80000000;
export const IORESOURCE_SYSTEM_RAM = IORESOURCE_MEM | IORESOURCE_SYSRAM;
/** resource_type() and resource_ext_type(): what a region request inherits from its parent */
const TYPE_BITS = 0x1f00 | 0x01ff0000;

export enum Desc {
  None = 0,
  PersistentMemory = 4,
  PersistentMemoryLegacy = 5,
  DevicePrivate = 6,
  Reserved = 7,
  SoftReserved = 8,
}

export class Resource {
  parent?: Resource;
  children: Resource[] = [];
  constructor(
    readonly start: number,
    readonly end: number,
    readonly name: string,
    public flags = IORESOURCE_MEM,
    public desc: Desc = Desc.None,
    public why?: Why,
  ) {}

  get size(): number {
    return this.end - this.start + 1;
  }

  isBusy(): boolean {
    return (this.flags & IORESOURCE_BUSY) !== 0;
  }
}

/**
 * iomem_resource: x86 ends it at the CPU's last physical address (arch/x86/kernel/setup.c setup_arch); a tree
 * built without a machine spans the 52 bits of 5-level paging.
 */
export function createRoot(physBits = 52): Resource {
  return new Resource(0, 2 ** physBits - 1, 'PCI mem', IORESOURCE_MEM);
}

/** Index of the first child that ends at or after `start` (children are sorted and disjoint). */
export function firstEndingAtOrAfter(children: Resource[], start: number): number {
  let lo = 0;
  let hi = children.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (children[mid]!.end < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * __request_resource: looks at the parent's direct children only. Returns the
 * conflict (the parent itself when the range is empty or sticks out of it, else
 * the first overlapping child), or undefined after inserting `res`.
 */
export function requestResourceConflict(parent: Resource, res: Resource): Resource | undefined {
  if (res.end < res.start || res.start < parent.start || res.end > parent.end) return parent;
  const i = firstEndingAtOrAfter(parent.children, res.start);
  const next = parent.children[i];
  if (next && next.start <= res.end) return next;
  res.parent = parent;
  parent.children.splice(i, 0, res);
  return undefined;
}

/** -EBUSY from a region request, with the conflict line the model shows for it. */
export class ResourceBusyError extends KernelError {
  constructor(
    readonly conflict: Resource,
    readonly requested: { start: number; end: number; name: string },
  ) {
    const have = `[${hexRange(conflict.start, conflict.end)}]`;
    const want = `[${hexRange(requested.start, requested.end)}]`;
    // Since 5.1 the kernel says so when the collision is with device-private
    // memory (kernel/resource.c __request_region_locked), both ranges as %pR prints them.
    super(
      EBUSY,
      why('the range overlaps a busy resource', 'kernel/resource.c:__request_region'),
      conflict.desc === Desc.DevicePrivate
        ? `resource: Unaddressable device ${conflict.name} ${pR(conflict)} conflicts with ${pR(requested)}`
        : `-EBUSY: ${requested.name} ${want} conflicts with ${conflict.name} ${have}`,
    );
  }
}

/**
 * __request_region: a busy resource that nests under any chain of non-busy
 * resources containing it; partial overlap, or overlap with a busy resource, fails.
 */
export function requestRegion(
  parent: Resource,
  start: number,
  size: number,
  name: string,
  extraFlags = 0,
  rule?: Why,
): Resource {
  const flags = (parent.flags & TYPE_BITS) | IORESOURCE_BUSY | extraFlags;
  const res = new Resource(start, start + size - 1, name, flags, parent.desc, rule);
  let p = parent;
  for (;;) {
    const conflict = requestResourceConflict(p, res);
    if (!conflict) return res;
    if (conflict !== p && !conflict.isBusy()) {
      p = conflict;
      continue;
    }
    throw new ResourceBusyError(conflict, res);
  }
}

/**
 * __release_region: walks down through containing non-busy resources to the
 * busy one with exactly this range and frees it with its subtree.
 */
export function releaseRegion(parent: Resource, start: number, size: number): boolean {
  const end = start + size - 1;
  let p = parent;
  for (;;) {
    const c = p.children.find((r) => r.start <= start && r.end >= end);
    if (!c) return false;
    if (!c.isBusy()) {
      p = c;
      continue;
    }
    if (c.start !== start || c.end !== end) return false;
    releaseResource(c);
    return true;
  }
}

/** release_resource: unlinks a resource with its subtree. */
export function releaseResource(res: Resource): void {
  const p = res.parent;
  if (!p) return;
  p.children.splice(p.children.indexOf(res), 1);
  res.parent = undefined;
}

/** remove_resource: unlinks one resource and moves its children up in its place. */
export function removeResource(res: Resource): void {
  const p = res.parent;
  if (!p) return;
  const i = p.children.indexOf(res);
  for (const c of res.children) c.parent = p;
  p.children.splice(i, 1, ...res.children);
  res.children = [];
  res.parent = undefined;
}

/**
 * __insert_resource: descends while a conflict strictly contains the new range;
 * siblings lying wholly inside the new range become its children; partial overlap fails.
 */
export function insertResource(parent: Resource, res: Resource): Resource | undefined {
  let p = parent;
  let first: Resource | undefined;
  for (;;) {
    first = requestResourceConflict(p, res);
    if (!first) return undefined;
    if (first === p) return first;
    const containsNew = first.start <= res.start && first.end >= res.end;
    const same = first.start === res.start && first.end === res.end;
    if (!containsNew || same) break;
    p = first;
  }
  const i = p.children.indexOf(first);
  let j = i;
  for (; ; j++) {
    const next = p.children[j]!;
    if (next.start < res.start || next.end > res.end) return next;
    const after = p.children[j + 1];
    if (!after || after.start > res.end) break;
  }
  const adopted = p.children.splice(i, j - i + 1, res);
  res.parent = p;
  res.children = adopted;
  for (const c of adopted) c.parent = res;
  return undefined;
}

/** Depth-first pre-order, as /proc/iomem lists resources (iterative: trees reach 100,000 lines). */
export function* walk(root: Resource): Generator<{ res: Resource; depth: number }> {
  const stack: { list: Resource[]; i: number }[] = [{ list: root.children, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const res = top.list[top.i++]!;
    yield { res, depth: stack.length - 1 };
    if (res.children.length) stack.push({ list: res.children, i: 0 });
  }
}

/** %pR of a memory resource without decoded flags (lib/vsprintf.c resource_string: mem_spec, 8 digits at least). */
const pR = ({ start, end }: { start: number; end: number }) =>
  `[mem 0x${start.toString(16).padStart(8, '0')}-0x${end.toString(16).padStart(8, '0')}]`;

function hexRange(start: number, end: number): string {
  return `0x${start.toString(16)}-0x${end.toString(16)}`;
}

type Range = { start: number; end: number; name: string };

export type Intersection = 'REGION_DISJOINT' | 'REGION_INTERSECTS' | 'REGION_MIXED';

/**
 * region_intersects (6.1): looks at top-level resources only. A resource
 * matches when it has all of `flags` and the descriptor (or desc is None).
 * Holes never count.
 */
export function regionIntersects(
  root: Resource,
  start: number,
  size: number,
  flags: number,
  desc: Desc = Desc.None,
): Intersection {
  const end = start + size - 1;
  let match = 0;
  let other = 0;
  for (const r of root.children) {
    if (r.end < start || r.start > end) continue;
    if ((r.flags & flags) === flags && (desc === Desc.None || r.desc === desc)) match++;
    else other++;
  }
  if (!match) return 'REGION_DISJOINT';
  return other ? 'REGION_MIXED' : 'REGION_INTERSECTS';
}

/** walk_system_ram_range (since 5.1 at any depth): the busy System RAM ranges inside [start, end], as whole pages. */
export function walkSystemRamRange(root: Resource, start: number, end: number): Range[] {
  const out: Range[] = [];
  const want = IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY;
  for (const { res } of walk(root)) {
    if ((res.flags & want) !== want) continue;
    if (res.end < start || res.start > end) continue;
    const s = alignUp(Math.max(res.start, start), 4096);
    const e = alignDown(Math.min(res.end, end) + 1, 4096) - 1;
    if (e > s) out.push({ start: s, end: e, name: res.name });
  }
  return out;
}

/** MAX_PHYSMEM_BITS on x86-64 without 5-level paging */
export const MAX_PHYSMEM_BITS = 46;
