// `cxl enable-region`, `disable-region` and `destroy-region` (ndctl 76.1
// cxl/region.c region_action): every region under the root decoders (all, or
// the one -d names) that a name on the line matches, in address order; a
// failure is logged and the walk goes on; the command exits 1 if any failed.
import type { Action } from '../../actions/types';
import { targetMemdevs, type CxlRegion } from '../kernel/cxl/bus';
import { cxlBus, decoderSetDpaSize, regionDelete, regionDisable, regionEnable } from '../kernel/cxl/region';
import { EBUSY, KernelError, strerror } from '../kernel/errno';
import type { Kernel } from '../kernel/state';
import { why, type Why } from '../why';
import { assertLabelsFollowed, cxlLog, regionMatches } from './cxl-shared';
import { ToolFailure } from './failure';

type Xable = Extract<Action, { kind: 'cxl-region' }>;

const DONE = { enable: 'enabled', disable: 'disabled', destroy: 'destroyed' } as const;

/**
 * Unbinding a region whose dax device is in kmem's hands: the guest's kmem cannot remove memory that is
 * online, and what it leaves behind is not modelled.
 */
function assertNoKmem(k: Kernel, r: CxlRegion): void {
  const kmem = [...k.dax.values()].find((d) => d.ns.region === r.nd && d.driver === 'kmem');
  if (kmem)
    throw new Error(
      `unbinding region${r.id} while ${kmem.name} is System RAM (kmem) is not modelled: ` +
        'reconfigure it to devdax first (docs/model.md "CXL")',
    );
}

function act(k: Kernel, r: CxlRegion, a: Xable): void {
  const bus = cxlBus(k);
  if (a.op === 'enable') {
    assertLabelsFollowed(targetMemdevs(bus, r));
    regionEnable(k, r);
    return;
  }
  if (r.enabled) {
    if (a.op === 'destroy' && !a.force) {
      const rule = why(
        'destroy-region leaves an enabled region alone without --force',
        'ndctl cxl/region.c:destroy_region',
      );
      throw new KernelError(EBUSY, rule, cxlLog('destroy_region', `region${r.id} active. Disable it or use --force`));
    }
    assertNoKmem(k, r);
    regionDisable(k, r);
  }
  if (a.op === 'destroy') {
    // decode reset, each target cleared and its DPA freed (set_dpa_size 0), then delete_region
    const targets = targetMemdevs(bus, r);
    regionDelete(k, r);
    for (const m of targets) decoderSetDpaSize(m, 0);
  }
}

export function regionCommand(k: Kernel, a: Xable): string {
  const bus = cxlBus(k);
  let out = '';
  let count = 0;
  let failed: { errno: number; why: Why } | undefined;
  for (const root of bus.roots) {
    if (a.decoder !== undefined && a.decoder !== root.name) continue;
    const regions = bus.regions
      .filter((r) => r.root === root && a.regions.some((n) => regionMatches(r, n)))
      .sort((x, y) => (x.resource?.start ?? 0) - (y.resource?.start ?? 0));
    for (const r of regions) {
      try {
        act(k, r, a);
        count++;
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        out += (e.log ?? '') + cxlLog('decoder_region_action', `region${r.id}: failed: ${strerror(e.errno)}`);
        failed = { errno: e.errno, why: e.why };
      }
    }
  }
  if (failed) out += cxlLog('region_action', `one or more failures, last failure: ${strerror(failed.errno)}`);
  out += cxlLog(`cmd_${a.op}_region`, `${DONE[a.op]} ${count} region${count === 1 ? '' : 's'}`);
  if (failed) throw new ToolFailure('cxl', out, failed.errno, failed.why);
  return out;
}
