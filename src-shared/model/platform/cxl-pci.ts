// The PCI side of the profile's CXL topology (src-main/qemu/cxl-argv.ts): the
// pxb-cxl's root bus with a cxl-rp root port per device, a cxl-type3 behind
// each, and what the CXL drivers the kit loads at boot claim inside their
// BARs. BAR sizes are QEMU 7.2's (hw/pci-bridge/cxl_root_port.c,
// hw/mem/cxl_type3.c ct3_realize); the register blocks inside BAR 2 are the
// capabilities QEMU's device register block announces (hw/cxl/cxl-device-utils.c),
// requested by cxl_pci under the device's name (drivers/cxl/core/regs.c
// devm_cxl_iomap_block).
import type { Cxl } from '../../profile/cxl';
import { CXL_HOST_BRIDGE_BUS } from '../../profile/cxl';
import { why } from '../why';
import type { FirmwareResource } from './machine';
import type { PciFunction, PlacedBar } from './pci';

/** CXL2_COMPONENT_BLOCK_SIZE: a port's or device's component registers (HDM decoders among them). */
export const CXL_COMPONENT_BLOCK = 0x10000;

/** The cxl-type3 device's BARs: component registers, device registers (both 64-bit), MSI-X. */
const TYPE3_BARS = [
  { index: 0, size: CXL_COMPONENT_BLOCK, prefetch: false },
  { index: 2, size: 0x1000, prefetch: false },
  { index: 4, size: 0x1000, prefetch: false },
];
/**
 * Device status, primary mailbox (0x20 bytes of registers and a 2 KiB payload), memory device status: [offset,
 * length] in BAR 2.
 */
const DEVICE_REGISTER_BLOCKS: [number, number][] = [
  [0x80, 0x8],
  [0x88, 0x20 + 0x800],
  [0x8a8, 0x8],
];

export function cxlPciFunctions(cxl: Cxl): PciFunction[] {
  return cxl.devices.map((d, i) => {
    const secondary = CXL_HOST_BRIDGE_BUS + 1 + i;
    return {
      bus: CXL_HOST_BRIDGE_BUS,
      slot: i,
      fn: 0,
      what: `the CXL root port of ${d.id}`,
      bars: [{ index: 0, size: CXL_COMPONENT_BLOCK, prefetch: false }],
      bridge: {
        secondary,
        functions: [{ bus: secondary, slot: 0, fn: 0, what: `the CXL type-3 device ${d.id}`, bars: TYPE3_BARS }],
      },
    };
  });
}

/**
 * What the CXL drivers request inside a placed BAR: the endpoint port's component registers (cxl_port, named
 * endpointN: port ids follow root0 and the host bridge's port1, one per device in bus order) and cxl_pci's
 * device register blocks.
 */
export function cxlDriverLines(bar: PlacedBar, depth: 0 | 1 | 2 | 3): FirmwareResource[] {
  if (!bar.what.startsWith('the CXL type-3 device')) return [];
  if (bar.index === 0) {
    const endpoint = 2 + bar.bus - (CXL_HOST_BRIDGE_BUS + 1);
    const rule = why(
      `cxl_port maps the endpoint's component registers (BAR 0) under the port's name`,
      'drivers/cxl/core/hdm.c:devm_cxl_setup_hdm; drivers/cxl/core/port.c:devm_cxl_add_port',
    );
    return [{ start: bar.start, end: bar.end, name: `endpoint${endpoint}`, kind: 'fixed', depth, why: rule }];
  }
  if (bar.index !== 2) return [];
  const rule = why(
    "cxl_pci requests each register block QEMU's device capability array announces",
    'drivers/cxl/core/regs.c:cxl_map_device_regs',
  );
  return DEVICE_REGISTER_BLOCKS.map(([offset, length]) => ({
    start: bar.start + offset,
    end: bar.start + offset + length - 1,
    name: bar.name,
    kind: 'fixed',
    depth,
    why: rule,
  }));
}

/** With two or more root ports the host bridge's port maps its component registers (one port: a pass-through). */
export function cxlHostBridgeLines(cxl: Cxl, hostRegs: number): FirmwareResource[] {
  if (cxl.devices.length < 2) return [];
  const rule = why(
    'a host bridge with more than one root port decodes with its own HDM decoders, whose registers cxl_port maps',
    'drivers/cxl/port.c:cxl_port_probe',
  );
  return [
    { start: hostRegs, end: hostRegs + CXL_COMPONENT_BLOCK - 1, name: 'port1', kind: 'fixed', depth: 0, why: rule },
  ];
}
