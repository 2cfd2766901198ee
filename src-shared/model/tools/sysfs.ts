// `echo VALUE > FILE` in the guest's busybox sh, for the sysfs files of the
// vocabulary: memoryN/state and auto_online_blocks (drivers/base/memory.c),
// regionN/align (drivers/nvdimm/region_devs.c), and the dax bus's bind,
// unbind, new_id and remove_id (drivers/dax/bus.c). A refused write is the
// shell's `sh: write error: <strerror>` (failure.ts).
import type { Action } from '../../actions/types';
import { bindStore, idStore, unbindStore } from '../kernel/dax-bus';
import { ENOENT } from '../kernel/errno';
import { regionAlignStore } from '../kernel/region';
import type { Kernel } from '../kernel/state';
import { why } from '../why';
import { ToolFailure } from './failure';

export type SysfsWrite = Extract<Action, { kind: 'block-state' | 'auto-online' | 'region-align' | 'dax-driver' }>;

export function sysfsWrite(k: Kernel, a: SysfsWrite): string {
  switch (a.kind) {
    case 'block-state':
      // The file is there only for a block that exists; otherwise busybox ash cannot open it for the
      // redirection (its message for ENOENT on create)
      if (!k.blocks.exists(a.block)) {
        throw new ToolFailure(
          'sh',
          `sh: can't create /sys/devices/system/memory/memory${a.block}/state: nonexistent directory\n`,
          ENOENT,
          why('no memory block device for that id', 'drivers/base/memory.c'),
        );
      }
      k.blocks.setState(a.block, a.state);
      return '';
    case 'auto-online':
      k.blocks.autoOnline = a.value;
      return '';
    case 'region-align':
      regionAlignStore(k, a.region, a.align);
      return '';
    case 'dax-driver':
      if (a.op === 'unbind') unbindStore(k, a.driver, a.device);
      else if (a.op === 'bind') bindStore(k, a.driver, a.device);
      else idStore(k, a.driver, a.op, a.device);
      return '';
  }
}
