// The CXL part of the probe dump (src-main/kit/guest/agent.sh `cxl`): `C` lines
// are `ls -l` of /sys/bus/cxl/devices (each device's place in the device tree)
// and of each endpoint's uport link (its memdev); `A` lines the attributes; `L`
// lines the regions bound to the cxl_region driver.
import type { CxlBusInfo, CxlDecoderInfo, CxlMemdevInfo, CxlRegionInfo } from './types';

const BUS = 'bus/cxl/devices/';
/** Above 2^63: an all-ones value, the kernel's "none" (dpa_resource of a decoder without capacity). */
const NONE_ABOVE = 2 ** 63;

const num = (v: string | undefined): number => {
  if (v === undefined || v === '') return -1;
  const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : Number(v);
  if (!Number.isFinite(n)) return -1;
  return n >= NONE_ABOVE ? -1 : n;
};

/** `C` line -> [name, link target]; the name of a uport line is its path (…/endpoint2/uport). */
export function parseCxlLink(line: string): [string, string] | undefined {
  const m = /(\S+) -> (\S+)$/.exec(line);
  return m ? [m[1]!, m[2]!] : undefined;
}

const natural = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export function cxlBus(linkLines: string[], attrs: Map<string, string>, links: string[]): CxlBusInfo | undefined {
  const place = new Map<string, string>();
  const uport = new Map<string, string>();
  for (const l of linkLines) {
    const p = parseCxlLink(l);
    if (!p) continue;
    const ep = /\/(endpoint\d+)\/uport$/.exec(p[0]);
    if (ep) uport.set(p[1].split('/').pop()!, ep[1]!);
    else place.set(p[0], p[1]);
  }
  if (place.size === 0) return undefined;
  const a = (dev: string, attr: string) => attrs.get(`${BUS}${dev}/${attr}`);
  const parentOf = (dev: string) => place.get(dev)?.split('/').slice(-2)[0] ?? '';
  const names = [...place.keys()].sort(natural);
  const enabled = new Set(links.map((l) => /^bus\/cxl\/drivers\/cxl_region\/(region\d+)$/.exec(l)?.[1]));

  const decoders: CxlDecoderInfo[] = names
    .filter((n) => /^decoder\d+\.\d+$/.test(n))
    .map((name) => {
      const port = parentOf(name);
      const kind = port.startsWith('root') ? 'root' : port.startsWith('endpoint') ? 'endpoint' : 'switch';
      const opt = (key: keyof CxlDecoderInfo, attr: string, asNumber = false) => {
        const v = a(name, attr);
        return v === undefined ? {} : { [key]: asNumber ? num(v) : v };
      };
      return {
        name,
        port,
        kind,
        start: num(a(name, 'start')),
        size: num(a(name, 'size')),
        interleaveWays: num(a(name, 'interleave_ways')),
        interleaveGranularity: num(a(name, 'interleave_granularity')),
        ...opt('targetList', 'target_list'),
        ...opt('region', 'region'),
        ...opt('mode', 'mode'),
        ...opt('dpaResource', 'dpa_resource', true),
        ...opt('dpaSize', 'dpa_size', true),
        ...opt('nextRegion', 'create_pmem_region'),
      };
    });

  const regions: CxlRegionInfo[] = names
    .filter((n) => /^region\d+$/.test(n))
    .map((name) => {
      const ways = num(a(name, 'interleave_ways'));
      return {
        name,
        decoder: parentOf(name),
        resource: num(a(name, 'resource')),
        size: num(a(name, 'size')),
        interleaveWays: ways,
        interleaveGranularity: num(a(name, 'interleave_granularity')),
        commit: a(name, 'commit') === '1',
        targets: Array.from({ length: Math.max(0, ways) }, (_, i) => a(name, `target${i}`) ?? ''),
        enabled: enabled.has(name),
      };
    });

  const memdevs: CxlMemdevInfo[] = names
    .filter((n) => /^mem\d+$/.test(n))
    .map((name) => {
      const path = place.get(name)!.split('/');
      return {
        name,
        endpoint: uport.get(name) ?? '',
        pci: path.at(-2) ?? '',
        rootPort: path.at(-3) ?? '',
        pmemSize: num(a(name, 'pmem/size')),
        labelStorageSize: num(a(name, 'label_storage_size')),
        serial: num(a(name, 'serial')),
        numaNode: num(a(name, 'numa_node')),
      };
    });
  return { decoders, regions, memdevs };
}
