// cxl's JSON for a region (ndctl 76.1 util/json.c util_cxl_region_to_json with
// its targets), as create-region prints it: sizes as numbers (stdout is not a
// terminal), the mappings in the reverse of their positions, as libcxl lists
// them (a two-way region printed position 1 first).
import { targetMemdevs, type CxlBus, type CxlRegion } from '../kernel/cxl/bus';
import type { JsonValue } from './json-c';

export function cxlRegionJson(r: CxlRegion, bus: CxlBus): Record<string, JsonValue> {
  const mappings = targetMemdevs(bus, r)
    .map((m, position) => ({ position, memdev: m.name, decoder: m.decoder.name }))
    .reverse();
  return {
    region: `region${r.id}`,
    resource: r.resource!.start,
    size: r.size,
    interleave_ways: r.ways,
    interleave_granularity: r.granularity,
    decode_state: r.committed ? 'commit' : 'reset',
    ...(r.enabled ? {} : { state: 'disabled' }),
    mappings,
  };
}
