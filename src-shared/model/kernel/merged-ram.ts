// Driver-managed System RAM that is added block by block but shown as one
// range (mm/memory_hotplug.c add_memory_driver_managed with
// MHP_MERGE_RESOURCE, kernel/resource.c merge_system_ram_resource), and
// removed block by block from such a range (release_mem_region_adjustable).
import type { Why } from '../why';
import { IORESOURCE_SYSRAM, IORESOURCE_SYSRAM_DRIVER_MANAGED, requestRegion, Resource } from './resource';

/** Replaces `res` in its parent by `pieces` (already sorted, inside its range). */
function replace(res: Resource, pieces: Resource[]): void {
  const p = res.parent!;
  for (const r of pieces) r.parent = p;
  p.children.splice(p.children.indexOf(res), 1, ...pieces);
  res.parent = undefined;
}

const copy = (r: Resource, start: number, end: number, rule?: Why) =>
  new Resource(start, end, r.name, r.flags, r.desc, rule ?? r.why);

/**
 * Requests [start, start + size) as driver-managed System RAM named `name`, then merges it with a
 * sibling of the same name and flags that touches it on either side.
 */
export function addMergedRam(root: Resource, start: number, size: number, name: string, rule: Why): Resource {
  let res = requestRegion(root, start, size, name, IORESOURCE_SYSRAM_DRIVER_MANAGED | IORESOURCE_SYSRAM, rule);
  const siblings = res.parent!.children;
  const mergeable = (r: Resource | undefined) => r && r.name === res.name && r.flags === res.flags;
  const prev = siblings[siblings.indexOf(res) - 1];
  if (mergeable(prev) && prev!.end + 1 === res.start) {
    const merged = copy(res, prev!.start, res.end, rule);
    replace(prev!, []);
    replace(res, [merged]);
    res = merged;
  }
  const next = siblings[siblings.indexOf(res) + 1];
  if (mergeable(next) && res.end + 1 === next!.start) {
    const merged = copy(res, res.start, next!.end, rule);
    replace(next!, []);
    replace(res, [merged]);
    res = merged;
  }
  return res;
}

/** The busy resource holding [start, end], found through the non-busy ones containing it. */
function holder(root: Resource, start: number, end: number): Resource | undefined {
  let p = root;
  for (;;) {
    const c = p.children.find((r) => r.start <= start && r.end >= end);
    if (!c) return undefined;
    if (c.isBusy()) return c;
    p = c;
  }
}

/** Frees [start, start + size) from the System RAM resource holding it: gone, trimmed or split in two. */
export function releaseMemRegionAdjustable(root: Resource, start: number, size: number): void {
  const end = start + size - 1;
  const res = holder(root, start, end);
  if (!res) return;
  const pieces: Resource[] = [];
  if (res.start < start) pieces.push(copy(res, res.start, start - 1));
  if (end < res.end) pieces.push(copy(res, end + 1, res.end));
  replace(res, pieces);
}
