// The kernel model: a guest's memory state computed from its profile, moved
// step by step by the same actions that drive the real guest.
import type { Profile } from '../profile/schema';
import type { Action } from '../actions/types';
import type { IomemLine, Snapshot } from '../snapshot/types';
import { buildPlatform } from './platform';
import { memoryBlockSize, MemoryBlocks, HotplugError } from './memory-blocks';
import { registerRegion, NdError, nsName, regionName, availableSize, type Region } from './libnvdimm';
import { DaxError } from './dax';
import { createNamespace, destroyNamespace, initLabels, probeRegion, setNamespaceEnabled, setRegionEnabled } from './ndctl';
import { daxDriverWrite, offlineMemory, onlineMemory, reconfigureDevice } from './daxctl';
import { deviceAdd, deviceDel, objectAdd, QmpModelError } from './dimm';
import { ResourceBusyError } from './resource';
import { iomemLines, printIomem } from './print';
import { DEFAULT_QEMU } from './qemu-pc';
import type { KernelRules, ModelState, StepResult } from './state';
import { why, type Why } from './why';
import { addMemory, clearErrors, injectBadblocks, registerDevicePrivate } from './model-only';
import { buildSectionMap, type SectionMap } from './subsections';

export type { KernelRules, StepResult } from './state';

export interface KernelModel {
  apply(action: Action): StepResult;
  snapshot(): Snapshot;
  explainIomem(): { line: IomemLine; why: Why }[];
  /** sections and their 2 MiB sub-sections, for the memory map */
  sections(): SectionMap;
  readonly state: ModelState;
}

const SYSFS_MODE = { raw: 'raw', fsdax: 'memory', devdax: 'dax' } as const;

export function createModel(profile: Profile, opts: { kernel?: KernelRules; qemu?: string } = {}): KernelModel {
  const platform = buildPlatform(profile, opts.qemu ?? DEFAULT_QEMU);
  const bootEnd = Math.max(...platform.bootRam.map((r) => r.end + 1));
  const blocks = new MemoryBlocks(memoryBlockSize(bootEnd));
  for (const r of platform.bootRam) blocks.addBoot(r.start, r.end, r.node);
  const state: ModelState = { rules: opts.kernel ?? '6.1', platform, root: platform.root, blocks, regions: [], dax: new Map(), backends: new Map(), dimms: new Map(), uuidCounter: 1, badblocks: new Map() };
  // nd_e820 loads before nfit in the guest, so legacy regions are numbered first.
  const pending: Omit<Region, 'resource' | 'namespaces' | 'enabled'>[] = [
    ...platform.legacyPmem.map((l) => ({ kind: 'e820' as const, start: l.start, size: l.end - l.start + 1, node: l.node, targetNode: l.node, labelArea: false, labelled: false })),
    ...platform.nvdimms.map((n) => ({ kind: 'nfit' as const, start: n.start, size: n.size, node: n.node, targetNode: n.node, labelArea: n.labelled, labelled: false })),
  ].map((r, id) => ({ ...r, id, align: r.size >= 16 * 2 ** 20 ? 16 * 2 ** 20 : 4096 }));
  for (const r of pending) {
    const region = registerRegion(state.root, r);
    state.regions.push(region);
    probeRegion(state, region);
  }
  return {
    state,
    apply: (action) => apply(state, action),
    snapshot: () => snapshot(state),
    sections: () => buildSectionMap(state),
    explainIomem: () => iomemLines(state.root).map((l) => ({ line: l.line, why: l.why ?? why('platform resource', 'firmware') })),
  };
}

function run(action: Action, m: ModelState): string {
  switch (action.kind) {
    case 'create-namespace': return createNamespace(m, action);
    case 'destroy-namespace': return destroyNamespace(m, action);
    case 'region-enable': return setRegionEnabled(m, action);
    case 'init-labels': return initLabels(m, action);
    case 'reconfigure-device': return reconfigureDevice(m, action);
    case 'online-memory': return onlineMemory(m, action);
    case 'offline-memory': return offlineMemory(m, action);
    case 'dax-driver': return daxDriverWrite(m, action);
    case 'block-state': m.blocks.setState(action.block, action.state); return '';
    case 'auto-online': m.blocks.autoOnline = action.value; return '';
    case 'object-add': return objectAdd(m, action);
    case 'device-add': return deviceAdd(m, action);
    case 'device-del': return deviceDel(m, action);
    case 'device-private': return registerDevicePrivate(m, action);
    case 'add-memory': return addMemory(m, action);
    case 'inject-badblocks': return injectBadblocks(m, action);
    case 'clear-errors': return clearErrors(m, action.target);
    case 'namespace-enable': return setNamespaceEnabled(m, action);
    case 'region-align': {
      const r = m.regions.find((x) => regionName(x) === action.region);
      if (!r || !(action.align > 0) || (action.align & (action.align - 1)) !== 0) throw new HotplugError('EINVAL', 'write error: Invalid argument', why('region align takes a power of two', 'drivers/nvdimm/region_devs.c:align_store'));
      r.align = action.align;
      return '';
    }
    default:
      throw new HotplugError('EOPNOTSUPP', `${action.kind} is not modelled yet`, why('not modelled', 'src-shared/model'));
  }
}

function apply(m: ModelState, action: Action): StepResult {
  try {
    return { output: run(action, m), exitCode: 0, explanations: [] };
  } catch (e) {
    if (e instanceof NdError) return { output: e.output, exitCode: e.exitCode, explanations: [e.why] };
    if (e instanceof DaxError) return { output: e.message, exitCode: e.errno === 'EBUSY' ? 240 : 1, explanations: [e.why] };
    if (e instanceof HotplugError) return { output: `sh: ${e.message}\n`, exitCode: 1, explanations: [e.why] };
    if (e instanceof QmpModelError) return { output: JSON.stringify({ error: { class: e.errorClass, desc: e.message } }), exitCode: 1, explanations: [] };
    if (e instanceof ResourceBusyError) return { output: `${e.message}\n`, exitCode: 1, explanations: [why('the range overlaps a busy resource', 'kernel/resource.c:__request_region')] };
    throw e;
  }
}

function snapshot(m: ModelState): Snapshot {
  const blocks = m.blocks.sorted();
  const nodes = new Map<number, number[]>();
  for (const b of blocks) (nodes.get(b.node) ?? nodes.set(b.node, []).get(b.node)!).push(b.id);
  return {
    kernel: `model (${m.rules} rules)`,
    iomem: printIomem(m.root),
    blockSizeBytes: m.blocks.blockSize,
    autoOnlineBlocks: m.blocks.autoOnline,
    memoryBlocks: blocks.map((b) => ({ id: b.id, state: b.online ? 'online' : 'offline', zones: m.blocks.validZones(b), node: b.node, removable: true })),
    nd: {
      regions: m.regions.map((r) => ({ name: regionName(r), size: r.size, align: r.align, available: availableSize(r), numaNode: r.node, targetNode: r.targetNode, devtype: 'nd_pmem' })),
      namespaces: m.regions.flatMap((r) => r.namespaces.filter((n) => r.enabled).map((n) => {
        const dax = [...m.dax.values()].find((d) => d.ns === n);
        return { name: nsName(n), region: regionName(r), mode: SYSFS_MODE[n.mode], size: n.size, ...(n.uuid ? { uuid: n.uuid } : {}), ...(dax ? { holder: dax.name } : {}) };
      })),
    },
    dax: { devices: [...m.dax.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })).map((d) => ({ name: d.name, size: d.end - d.start + 1, targetNode: d.targetNode, driver: d.driver, mode: d.driver === 'kmem' ? 'system-ram' as const : d.driver === 'device_dax' ? 'devdax' as const : 'unbound' as const })) },
    numa: { nodes: [...nodes.entries()].sort((a, b) => a[0] - b[0]).map(([id, ids]) => ({ id, cpus: m.platform.cpus.get(id) ?? '', memTotalKiB: ids.filter((i) => m.blocks.blocks.get(i)!.online).length * (m.blocks.blockSize / 1024), blocks: ids })) },
    problems: [],
  };
}
