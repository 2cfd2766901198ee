// ndctl's region and DIMM commands (ndctl/region.c, ndctl/dimm.c) and
// clear-errors (ndctl/namespace.c namespace_clear_bb).
import type { Action } from '../../actions/types';
import { badrangeClear, badrangeCount, badrangeNamespaces } from '../kernel/badrange';
import { EBUSY, ENXIO, EOPNOTSUPP } from '../kernel/errno';
import { nsLabelsInit } from '../kernel/namespace';
import { regionDisable, regionProbe } from '../kernel/nd-pmem';
import type { Kernel } from '../kernel/state';
import { why } from '../why';
import { ToolFailure } from './failure';
import { kernfsListOrder } from './json-c';
import { nfitSlot } from './ndctl-json';
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

/**
 * ndctl init-labels, DIMM by DIMM in libndctl's order (ndctl/dimm.c __action_init): a DIMM without a label
 * area has no index to read (ENXIO, silently); one whose region is enabled is busy; one with a valid index
 * needs -f; the rest get a fresh v1.1 index. Any DIMM initialized makes it a success, else the first
 * failure makes it exit 1 (dimm_action, cmd_init_labels).
 */
export function initLabels(k: Kernel, t: NdctlState, a: Extract<Action, { kind: 'init-labels' }>): string {
  const nfit = k.regions.filter((r) => r.kind === 'nfit').map((r) => ({ r, name: `nmem${nfitSlot(k, r)}` }));
  const dimms = kernfsListOrder(nfit, (d) => d.name).filter((d) => a.target === 'all' || a.target === d.name);
  let [count, err, printed] = [0, 0, ''];
  for (const { r, name } of dimms) {
    if (!r.labelArea) {
      err ||= ENXIO;
    } else if (r.enabled) {
      printed += `${name}: regions active, abort label write\n`;
      err ||= EBUSY;
    } else if (r.labelled && !a.force) {
      printed += `${name}: error: labels already initialized\n`;
      err ||= EBUSY;
    } else {
      nsLabelsInit(r);
      t.labelVersions.set(r.id, '1.1');
      count++;
    }
  }
  const text = `${printed}initialized ${count} nmem${count > 1 ? 's' : ''}\n`;
  if (count > 0 || !err) return text;
  const rule =
    err === ENXIO
      ? 'a DIMM without a label area has no label index to initialize'
      : "labels can only be written while the DIMM's regions are disabled, and over valid ones only with -f";
  throw new ToolFailure('ndctl-dimm', text, err, why(rule, 'ndctl/dimm.c:__action_init'));
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
