// The probe agent's snapshot dump -> Snapshot. The agent (src-main/kit/guest/agent.sh)
// writes tagged lines:
//   K release                         I <a /proc/iomem line>
//   G block_size_bytes(hex) auto_online_blocks
//   B id state removable valid_zones  (one memory block)
//   N node cpus(comma list) <first meminfo line>
//   M node block ids...
//   A <sysfs path> <value>            L <sysfs path> (an existing link)
//   D <a kernel message since the previous dump, as /dev/kmsg escapes it, without its timestamp>
//   C <`ls -l` of a /sys/bus/cxl/devices link> (cxl-dump.ts)
// and the lab appends, from QEMU's query-memory-devices (src-main/guest/virtio-mem-wait.ts):
//   V id memaddr max-size block-size size requested-size node   (one virtio-mem device, in bytes)
// Never throws: what it cannot read is listed in `problems`.
import { cxlBus } from './cxl-dump';
import type { DaxDevice, MemoryBlockInfo, NdNamespace, NdRegion, NumaNodeInfo, Snapshot, VirtioMemInfo } from './types';

const num = (v: string | undefined, fallback = -1): number => {
  if (v === undefined) return fallback;
  const n = /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : Number(v);
  return Number.isFinite(n) ? n : fallback;
};

export function parseProbeDump(text: string): Snapshot {
  const problems: string[] = [];
  const iomem: string[] = [];
  const attrs = new Map<string, string>();
  const links: string[] = [];
  const cxlLinks: string[] = [];
  const log: string[] = [];
  const memoryBlocks: MemoryBlockInfo[] = [];
  const nodes: NumaNodeInfo[] = [];
  const nodeOf = new Map<number, number>();
  const virtioMem: VirtioMemInfo[] = [];
  let kernel = '';
  let blockSizeBytes = 0;
  let autoOnlineBlocks = '';
  let sawGlobals = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line === '') return;
    const bad = () => problems.push(`probe line ${i + 1}: cannot read ${JSON.stringify(line.slice(0, 80))}`);
    const tag = line.slice(0, 2);
    const rest = line.slice(2);
    let m: RegExpExecArray | null;
    if (tag === 'I ') iomem.push(rest);
    else if (tag === 'K ') kernel = rest.trim();
    else if (tag === 'L ') links.push(rest.trim());
    else if (tag === 'C ') cxlLinks.push(rest);
    else if (tag === 'D ') log.push(unescapeKmsg(rest));
    else if (tag === 'A ') {
      const sp = rest.indexOf(' ');
      if (sp < 0) attrs.set(rest, '');
      else attrs.set(rest.slice(0, sp), rest.slice(sp + 1));
    } else if (tag === 'G ' && (m = /^([0-9a-f]+) (\S+)$/i.exec(rest))) {
      blockSizeBytes = parseInt(m[1]!, 16);
      autoOnlineBlocks = m[2]!;
      sawGlobals = true;
    } else if (tag === 'B ' && (m = /^(\d+) (\S+) ([01]) (.+)$/.exec(rest))) {
      memoryBlocks.push({ id: Number(m[1]), state: m[2]!, removable: m[3] === '1', zones: m[4]!, node: -1 });
    } else if (tag === 'N ' && (m = /^(\d+) ([\d,]*) (.*)$/.exec(rest))) {
      const kib = /MemTotal:\s+(\d+)\s+kB/.exec(m[3]!);
      if (!kib) problems.push(`node${m[1]}: no MemTotal in meminfo`);
      nodes.push({ id: Number(m[1]), cpus: m[2]!, memTotalKiB: kib ? Number(kib[1]) : 0, blocks: [] });
    } else if (tag === 'V ' && (m = /^(\S+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$/.exec(rest))) {
      const n = (i: number) => Number(m![i]);
      virtioMem.push({
        id: m[1]!,
        memaddr: n(2),
        maxSize: n(3),
        blockSize: n(4),
        size: n(5),
        requestedSize: n(6),
        node: n(7),
      });
    } else if (tag === 'M ' && (m = /^(\d+)((?: \d+)*)$/.exec(rest))) {
      const node = Number(m[1]);
      const blocks = m[2]!
        .split(' ')
        .filter(Boolean)
        .map(Number)
        .sort((a, b) => a - b);
      const n = nodes.find((x) => x.id === node);
      if (n) n.blocks = blocks;
      for (const b of blocks) nodeOf.set(b, node);
    } else bad();
  });
  if (!sawGlobals) problems.push('no block_size_bytes: memory hotplug sysfs missing');
  for (const b of memoryBlocks) b.node = nodeOf.get(b.id) ?? -1;
  memoryBlocks.sort((a, b) => a.id - b.id);
  nodes.sort((a, b) => a.id - b.id);

  const nd = 'bus/nd/devices/';
  const ndDevices = new Set<string>();
  for (const path of attrs.keys()) if (path.startsWith(nd)) ndDevices.add(path.slice(nd.length).split('/')[0]!);
  const ndAttr = (dev: string, a: string) => attrs.get(`${nd}${dev}/${a}`);
  const regions: NdRegion[] = [];
  const namespaces: NdNamespace[] = [];
  for (const dev of [...ndDevices].sort(natural)) {
    if (/^region\d+$/.test(dev)) {
      regions.push({
        name: dev,
        size: num(ndAttr(dev, 'size'), 0),
        align: num(ndAttr(dev, 'align'), 0),
        available: num(ndAttr(dev, 'available_size'), 0),
        numaNode: num(ndAttr(dev, 'numa_node')),
        targetNode: num(ndAttr(dev, 'target_node')),
        devtype: ndAttr(dev, 'devtype') ?? '',
      });
    } else if (/^namespace\d+\.\d+$/.test(dev)) {
      const holder = ndAttr(dev, 'holder');
      const uuid = ndAttr(dev, 'uuid');
      namespaces.push({
        name: dev,
        region: `region${dev.slice('namespace'.length).split('.')[0]}`,
        mode: namespaceMode(holder, ndAttr(dev, 'mode')),
        size: num(ndAttr(dev, 'size'), 0),
        ...(uuid && uuid !== '00000000-0000-0000-0000-000000000000' ? { uuid } : {}),
        ...(holder ? { holder } : {}),
      });
    }
  }

  const daxDriver = new Map<string, string>();
  for (const l of links) {
    const m = /^bus\/dax\/drivers\/([^/]+)\/(dax\d+\.\d+)$/.exec(l);
    if (m) daxDriver.set(m[2]!, m[1]!);
  }
  const daxDevices = new Set<string>();
  for (const path of attrs.keys()) {
    const m = /^bus\/dax\/devices\/(dax\d+\.\d+)\//.exec(path);
    if (m) daxDevices.add(m[1]!);
  }
  const devices: DaxDevice[] = [...daxDevices].sort(natural).map((name) => {
    const driver = daxDriver.get(name) ?? '';
    return {
      name,
      size: num(attrs.get(`bus/dax/devices/${name}/size`), 0),
      targetNode: num(attrs.get(`bus/dax/devices/${name}/target_node`)),
      driver,
      mode: driver === 'kmem' ? 'system-ram' : driver === 'device_dax' ? 'devdax' : 'unbound',
    };
  });

  const cxl = cxlBus(cxlLinks, attrs, links);
  if (!kernel) problems.push('no kernel release in the dump');
  if (iomem.length === 0) problems.push('no /proc/iomem lines in the dump');
  return {
    kernel,
    iomem: iomem.length ? iomem.join('\n') + '\n' : '',
    blockSizeBytes,
    autoOnlineBlocks,
    memoryBlocks,
    nd: { regions, namespaces },
    dax: { devices },
    numa: { nodes },
    ...(virtioMem.length ? { virtioMem } : {}),
    ...(cxl ? { cxl } : {}),
    log,
    problems,
  };
}

/** The kernel's own mode attribute; where it is missing, read it off the holder as ndctl does. */
function namespaceMode(holder: string | undefined, mode: string | undefined): string {
  if (mode) return mode;
  if (holder?.startsWith('dax')) return 'devdax';
  if (holder?.startsWith('pfn')) return 'fsdax';
  if (holder?.startsWith('btt')) return 'sector';
  return 'raw';
}

// A web platform API in every runtime we run in; the pure ES2022 lib has no type for it.
const Decoder = (globalThis as unknown as { TextDecoder: new () => { decode(b: Uint8Array): string } }).TextDecoder;

/** /dev/kmsg writes each byte below ' ' or above '~', and '\\', as \\xNN (kernel/printk/printk.c: msg_add_ext_text). */
function unescapeKmsg(text: string): string {
  return text.replace(/(?:\\x[0-9a-f]{2})+/g, (run) =>
    new Decoder().decode(Uint8Array.from(run.slice(2).split('\\x'), (h) => parseInt(h, 16))),
  );
}

function natural(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
