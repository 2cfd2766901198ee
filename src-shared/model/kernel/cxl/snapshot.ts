// The CXL bus as the probe agent reads it from /sys/bus/cxl/devices
// (snapshot/cxl-dump.ts): the decoders' sysfs attributes (drivers/cxl/core/
// port.c: start, size, target_list, region, mode, dpa_resource, dpa_size,
// create_pmem_region), the regions' (region.c) and the memdevs' (memdev.c).
import type { CxlBusInfo, CxlDecoderInfo } from '../../../snapshot/types';
import type { Kernel } from '../state';
import { cxlDecoders, type CxlDecoder, type CxlRootDecoder } from './bus';

function decoderInfo(d: CxlDecoder): CxlDecoderInfo {
  const base = {
    name: d.name,
    port: d.port,
    kind: d.kind,
    start: d.start,
    size: d.size,
    interleaveWays: d.ways,
    interleaveGranularity: d.granularity,
  };
  const region = d.region ? `region${d.region.id}` : '';
  if (d.kind === 'root')
    return { ...base, targetList: d.targets.join(','), nextRegion: `region${(d as CxlRootDecoder).nextRegionId}` };
  if (d.kind === 'switch') return { ...base, targetList: d.targets.join(','), region };
  return { ...base, region, mode: d.mode ?? 'none', dpaResource: d.dpaStart ?? -1, dpaSize: d.dpaSize ?? 0 };
}

export function cxlSnapshot(k: Kernel): CxlBusInfo | undefined {
  const bus = k.cxl;
  if (!bus) return undefined;
  return {
    decoders: cxlDecoders(bus).map(decoderInfo),
    regions: [...bus.regions]
      .sort((a, b) => a.id - b.id)
      .map((r) => ({
        name: `region${r.id}`,
        decoder: r.root.name,
        resource: r.resource?.start ?? -1,
        size: r.size,
        interleaveWays: r.ways,
        interleaveGranularity: r.granularity,
        commit: r.committed,
        targets: r.targets.map((t) => t?.name ?? ''),
        enabled: r.enabled,
      })),
    memdevs: bus.memdevs.map((m) => ({
      name: m.name,
      endpoint: m.endpoint,
      pci: m.pci,
      rootPort: m.rootPort,
      pmemSize: m.pmemSize,
      labelStorageSize: m.labelSize,
      serial: m.serial,
      numaNode: -1,
    })),
  };
}
