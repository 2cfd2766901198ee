// What the action panel's forms start with: a command that works on the guest
// at hand, read from its latest snapshot (and the session's own steps), never a
// fixed guess. A new namespace needs an idle one (size 0) in its region to
// claim, as ndctl looks for one: a label-less NVDIMM's region is covered by its
// raw namespace (whatever its available_size says), so reconfigure that one.
import type { TimelineEntry } from '../../../src-shared/api/contract';
import type { CxlBusInfo, Snapshot } from '../../../src-shared/snapshot/types';
import { windowFree } from '../cxl/cxl-topology';
import type { BlockForm, CreateNamespaceForm, ReconfigureForm } from './action-lines';
import type { CreateRegionForm } from './cxl-lines';

export function namespaceDefaults(snap: Snapshot | null): CreateNamespaceForm {
  const base = { mode: 'devdax' as const, size: '', align: '', force: false };
  const regions = snap?.nd.regions ?? [];
  const idle = (r: string) => snap?.nd.namespaces.some((n) => n.region === r && n.size === 0);
  const free = regions.find((r) => r.available > 0 && idle(r.name));
  if (free || !snap) return { ...base, region: free?.name ?? regions[0]?.name ?? 'region0', reconfig: '' };
  // every region is full: reconfigure a namespace whose memory is not in use as System RAM (-f: it is active)
  const inUse = new Set(snap.dax.devices.filter((d) => d.mode === 'system-ram').map((d) => d.name));
  const ns =
    snap.nd.namespaces.find((n) => n.mode === 'raw') ??
    snap.nd.namespaces.find((n) => !n.holder || !inUse.has(n.holder));
  if (!ns) return { ...base, region: regions[0]?.name ?? 'region0', reconfig: '' };
  return { ...base, region: ns.region, reconfig: ns.name, force: true };
}

/** Destroying an active namespace needs -f (ndctl refuses "is active, specify --force"); one in use cannot go. */
export function destroyDefaults(snap: Snapshot | null): { namespace: string; force: boolean } {
  const inUse = new Set(snap?.dax.devices.filter((d) => d.mode === 'system-ram').map((d) => d.name));
  const ns = snap?.nd.namespaces.find((n) => n.size > 0 && !(n.holder && inUse.has(n.holder)));
  return { namespace: ns?.name ?? '', force: true };
}

/** A devdax device goes to kmem, online and movable; with none in devdax, the first one back to devdax. */
export function daxDefaults(snap: Snapshot | null): ReconfigureForm {
  const devices = snap?.dax.devices ?? [];
  const devdax = devices.find((d) => d.mode === 'devdax');
  const base = { online: true, movable: true, force: false };
  if (devdax || !devices.length) return { ...base, device: devdax?.name ?? 'dax0.0', mode: 'system-ram' };
  return { ...base, device: devices[0]!.name, mode: 'devdax', force: true };
}

/** An offline block onlined movable; with none offline, nothing is guessed (offlining boot memory may fail). */
export function blockDefaults(snap: Snapshot | null): BlockForm {
  const offline = snap?.memoryBlocks.find((b) => b.state === 'offline');
  return { block: offline ? String(offline.id) : '', state: 'online_movable' };
}

/** A region on the first window with room left, from the first memdev whose endpoint decoder is not in a region. */
export function createRegionDefaults(bus: CxlBusInfo | undefined): CreateRegionForm {
  const roots = bus?.decoders.filter((d) => d.kind === 'root') ?? [];
  const root = roots.find((d) => windowFree(bus!, d) > 0) ?? roots[0];
  const taken = new Set(bus?.decoders.filter((d) => d.kind === 'endpoint' && d.region).map((d) => d.port));
  const memdev = bus?.memdevs.find((m) => !taken.has(m.endpoint)) ?? bus?.memdevs[0];
  return { decoder: root?.name ?? '', memdevs: memdev ? [memdev.name] : [], size: '', granularity: '' };
}

/**
 * The first dimmN whose id (and its backend's, mem-dimmN) this session has not sent yet: QEMU refuses a
 * duplicate id even when the first plug failed half-way (the backend stays).
 */
export function nextDimmId(timeline: readonly TimelineEntry[]): string {
  const used = new Set<string>();
  for (const e of timeline) {
    const args = e.step && 'qmp' in e.step ? e.step.qmp.arguments : undefined;
    if (args && typeof args.id === 'string') used.add(args.id.replace(/^mem-/, ''));
  }
  let n = 1;
  while (used.has(`dimm${n}`)) n++;
  return `dimm${n}`;
}
