// The action panel's forms turned into exactly what is sent: a console line
// in the vocabulary, QMP commands, or a model-only line. Each is read back
// through the shared vocabulary parser, so the panel shows what the model
// will make of it before it is sent.
import { parseConsoleLine, parseModelOnlyLine, parseQmpCommand } from '../../../src-shared/actions';
import { parseSize } from '../../../src-shared/units';
import type { Step } from '../../../src-shared/scenario/schema';

export interface CreateNamespaceForm {
  region: string;
  mode: 'raw' | 'fsdax' | 'devdax';
  size: string;
  align: string;
  reconfig: string;
  force: boolean;
}
export interface ReconfigureForm {
  device: string;
  mode: 'system-ram' | 'devdax';
  online: boolean;
  movable: boolean;
  force: boolean;
}
export interface BlockForm {
  block: string;
  state: 'online' | 'online_kernel' | 'online_movable' | 'offline';
}
export interface DimmForm {
  id: string;
  size: string;
  node: string;
}
export type ModelOnlyForm =
  | { kind: 'device-private'; name: string; size: string }
  | { kind: 'add-memory'; start: string; size: string; node: string }
  | { kind: 'badblocks'; namespace: string; offset: string; length: string };

export type Built = { ok: true; steps: Step[]; shown: string[] } | { ok: false; error: string };

export const words = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join(' ');

export function checkSize(field: string, v: string, optional = true): string | undefined {
  if (!v.trim()) return optional ? undefined : `${field}: required (e.g. 512M)`;
  return parseSize(v.trim()) === undefined
    ? `${field}: "${v}" is not a size (bytes, 0x hex, or a number with K, M, G, T)`
    : undefined;
}

/** A console line of the vocabulary, or the parser's reason it is not one. */
export function runLine(line: string): Built {
  const p = parseConsoleLine(line);
  return p.kind === 'action' ? { ok: true, steps: [{ run: line }], shown: [line] } : { ok: false, error: p.reason };
}

export function createNamespaceLine(f: CreateNamespaceForm): Built {
  const err = checkSize('size', f.size) ?? checkSize('align', f.align);
  if (err) return { ok: false, error: err };
  if (!f.reconfig && !f.region) return { ok: false, error: 'region: pick a region (or a namespace to reconfigure)' };
  return runLine(
    words(
      'ndctl create-namespace',
      f.reconfig ? `-e ${f.reconfig}` : `-r ${f.region}`,
      `-m ${f.mode}`,
      f.size.trim() && `-s ${f.size.trim()}`,
      f.align.trim() && `-a ${f.align.trim()}`,
      f.force && '-f',
    ),
  );
}

export function destroyNamespaceLine(ns: string, force: boolean): Built {
  if (!/^namespace\d+\.\d+$/.test(ns)) return { ok: false, error: 'namespace: pick a namespace such as namespace0.0' };
  return runLine(words('ndctl destroy-namespace', force && '-f', ns));
}

export function reconfigureLine(f: ReconfigureForm): Built {
  if (!/^dax\d+\.\d+$/.test(f.device)) return { ok: false, error: 'device: pick a dax device such as dax0.0' };
  const ram = f.mode === 'system-ram';
  return runLine(
    words(
      'daxctl reconfigure-device',
      `--mode=${f.mode}`,
      ram && !f.online && '--no-online',
      ram && f.online && !f.movable && '--no-movable',
      f.force && '--force',
      f.device,
    ),
  );
}

export function blockStateLine(f: BlockForm): Built {
  if (!/^\d+$/.test(f.block.trim())) return { ok: false, error: 'block: a memory block number, as in memory32' };
  return runLine(`echo ${f.state} > /sys/devices/system/memory/memory${f.block.trim()}/state`);
}

type QmpStep = { qmp: { execute: string; arguments: Record<string, unknown> } };

function qmpStep(execute: string, args: Record<string, unknown>): QmpStep {
  return { qmp: { execute, arguments: args } };
}

/** A pc-dimm arrives in two QMP commands: its memory backend, then the device that uses it. */
export function dimmPlugSteps(f: DimmForm): Built {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,27}$/.test(f.id))
    return { ok: false, error: 'id: a letter then letters, digits, "-" or "_"' };
  const size = parseSize(f.size.trim());
  if (!size) return { ok: false, error: `size: "${f.size}" is not a size (e.g. 512M)` };
  if (f.node.trim() && !/^\d+$/.test(f.node.trim())) return { ok: false, error: 'node: a NUMA node number, or empty' };
  const steps = [
    qmpStep('object-add', { 'qom-type': 'memory-backend-ram', id: `mem-${f.id}`, size }),
    qmpStep('device_add', {
      driver: 'pc-dimm',
      id: f.id,
      memdev: `mem-${f.id}`,
      ...(f.node.trim() ? { node: Number(f.node) } : {}),
    }),
  ];
  for (const s of steps) {
    const p = parseQmpCommand(s.qmp);
    if (p.kind !== 'action') return { ok: false, error: p.reason };
  }
  return { ok: true, steps, shown: steps.map((s) => JSON.stringify(s.qmp)) };
}

export function dimmUnplugStep(id: string): Built {
  if (!id) return { ok: false, error: 'id: pick a DIMM' };
  const step = qmpStep('device_del', { id });
  return { ok: true, steps: [step], shown: [JSON.stringify(step.qmp)] };
}

/** qom-set of a virtio-mem device's requested size: QEMU checks it, then the guest plugs or unplugs. */
export function virtioMemResizeStep(id: string, size: string): Built {
  if (!id) return { ok: false, error: 'device: pick a virtio-mem device' };
  const value = parseSize(size.trim());
  if (value === undefined) return { ok: false, error: `requested size: "${size}" is not a size (e.g. 512M)` };
  const step = qmpStep('qom-set', { path: id, property: 'requested-size', value });
  const p = parseQmpCommand(step.qmp);
  if (p.kind !== 'action') return { ok: false, error: p.reason };
  return { ok: true, steps: [step], shown: [JSON.stringify(step.qmp)] };
}

export function modelOnlyLine(f: ModelOnlyForm): Built {
  const line =
    f.kind === 'device-private'
      ? words('device-private', f.name.trim(), f.size.trim())
      : f.kind === 'add-memory'
        ? words('add-memory', f.start.trim(), f.size.trim(), f.node.trim())
        : words('badblocks', f.namespace.trim(), f.offset.trim(), f.length.trim());
  const p = parseModelOnlyLine(line);
  return p.kind === 'action'
    ? { ok: true, steps: [{ model: line }], shown: [`model-only: ${line}`] }
    : { ok: false, error: p.reason };
}
