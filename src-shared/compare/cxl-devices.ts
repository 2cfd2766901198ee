// The CXL bus in the `buses` dimension: decoders, regions and memdevs keyed by
// their names, compared on the sysfs attributes a CXL developer reads
// (drivers/cxl/core/port.c, region.c, memdev.c). The region's uuid is random
// and left out.
import type { Snapshot } from '../snapshot/types';

export type CxlBus = 'cxl-decoder' | 'cxl-region' | 'cxl-memdev';

export function cxlDevices(s: Snapshot): { bus: CxlBus; name: string; fields: Record<string, string | number> }[] {
  const c = s.cxl;
  if (!c) return [];
  return [
    ...c.decoders.map((d) => ({
      bus: 'cxl-decoder' as const,
      name: d.name,
      fields: {
        port: d.port,
        start: d.start,
        size: d.size,
        interleave_ways: d.interleaveWays,
        interleave_granularity: d.interleaveGranularity,
        ...(d.targetList !== undefined ? { target_list: d.targetList } : {}),
        ...(d.region !== undefined ? { region: d.region } : {}),
        ...(d.mode !== undefined ? { mode: d.mode } : {}),
        ...(d.dpaResource !== undefined ? { dpa_resource: d.dpaResource } : {}),
        ...(d.dpaSize !== undefined ? { dpa_size: d.dpaSize } : {}),
        ...(d.nextRegion !== undefined ? { create_pmem_region: d.nextRegion } : {}),
      },
    })),
    ...c.regions.map((r) => ({
      bus: 'cxl-region' as const,
      name: r.name,
      fields: {
        decoder: r.decoder,
        resource: r.resource,
        size: r.size,
        interleave_ways: r.interleaveWays,
        interleave_granularity: r.interleaveGranularity,
        commit: r.commit ? 1 : 0,
        targets: r.targets.join(','),
        driver: r.enabled ? 'cxl_region' : '',
      },
    })),
    ...c.memdevs.map((m) => ({
      bus: 'cxl-memdev' as const,
      name: m.name,
      fields: {
        endpoint: m.endpoint,
        pci: m.pci,
        root_port: m.rootPort,
        pmem_size: m.pmemSize,
        label_storage_size: m.labelStorageSize,
        serial: m.serial,
        numa_node: m.numaNode,
      },
    })),
  ];
}
