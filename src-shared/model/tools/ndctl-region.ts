// ndctl's region and DIMM commands (ndctl/region.c, ndctl/dimm.c) and
// clear-errors (ndctl/namespace.c namespace_clear_bb).
import type { Action } from '../../actions/types';
import { badrangeClear, badrangeCount, badrangeNamespaces } from '../kernel/badrange';
import { EBUSY, EOPNOTSUPP } from '../kernel/errno';
import { nsLabelsInit } from '../kernel/namespace';
import { regionDisable, regionProbe } from '../kernel/nd-pmem';
import type { Kernel } from '../kernel/state';
import { why } from '../why';
import { ToolFailure } from './failure';
import { findRegion, ndctlFailure, type NdctlState } from './ndctl';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** ndctl enable-region / disable-region. */
export function setRegionEnabled(k: Kernel, a: Extract<Action, { kind: 'region-enable' }>): string {
  const list = a.target === 'all' ? k.regions : [findRegion(k, a.target)];
  for (const r of list) {
    if (a.enable && !r.enabled) regionProbe(k, r);
    else if (!a.enable && r.enabled) regionDisable(k, r);
  }
  return `${a.enable ? 'enabled' : 'disabled'} ${plural(list.length, 'region')}\n`;
}

/** ndctl init-labels: a fresh label index on DIMMs with a label area, only while their regions are disabled. */
export function initLabels(k: Kernel, t: NdctlState, a: Extract<Action, { kind: 'init-labels' }>): string {
  const named = (id: number) => a.target === 'all' || a.target === `nmem${id}`;
  const targets = k.regions.filter((r) => r.kind === 'nfit' && r.labelArea && named(r.id));
  if (targets.some((r) => r.enabled)) {
    const refusals = targets.map((r) => `nmem${r.id}: regions active, abort label write\n`).join('');
    const text = `${refusals}initialized 0 nmem\n`;
    throw new ToolFailure(
      'ndctl-dimm',
      text,
      EBUSY,
      why("labels can only be written while the DIMM's regions are disabled", 'ndctl/dimm.c:action_write'),
    );
  }
  for (const r of targets) {
    nsLabelsInit(r);
    t.labelVersions.set(r.id, '1.1');
  }
  return `initialized ${targets.length} nmem\n`;
}

/**
 * ndctl clear-errors: QEMU's NFIT has no address range scrub, so on the real
 * guest it fails; the model clears its own model-only bad blocks as a
 * platform with ARS would.
 */
export function clearErrors(k: Kernel, a: Extract<Action, { kind: 'clear-errors' }>): string {
  const names = badrangeNamespaces(k, a.target);
  const n = badrangeCount(k, names);
  if (n === 0) {
    const text =
      `Error: ${a.target}: Unable to determine scrub state: Operation not supported\n\n` +
      'error clearing namespaces: Operation not supported\ncleared 0 namespaces\n';
    const rule =
      "QEMU's NFIT offers no address range scrub (ARS), so ndctl cannot clear errors;" +
      ' with model-only bad blocks the model clears them as ARS-capable hardware would';
    throw ndctlFailure(text, EOPNOTSUPP, why(rule, 'ndctl/namespace.c:namespace_clear_bb'));
  }
  badrangeClear(k, names);
  return `cleared ${plural(n, 'error range')}\n`;
}
