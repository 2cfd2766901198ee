// Console lines of the vocabulary -> actions, read-only lines (read-only.ts)
// included. Anything else is "unknown": it runs on the real guest only and the
// model says it is out of sync.
import { parseSize } from '../units';
import { parseOptions, splitWords } from './options';
import { parseCxl } from './cxl';
import { parseModule } from './modules';
import { parseReadOnly } from './read-only';
import type { Action, ParsedAction } from './types';

const unknown = (reason: string): ParsedAction => ({ kind: 'unknown', reason });
const ok = (action: Action): ParsedAction => ({ kind: 'action', action });

const NDCTL_CREATE = {
  values: {
    region: 'r',
    reconfig: 'e',
    mode: 'm',
    size: 's',
    align: 'a',
    map: 'M',
    type: 't',
    name: 'n',
    'sector-size': 'l',
    uuid: 'u',
  },
  flags: { force: 'f', verbose: 'v', 'no-autolabel': '', autolabel: '', continue: 'c' },
};
const FORCE_ONLY = { values: { region: 'r' }, flags: { force: 'f', verbose: 'v' } };
const DAXCTL_RECONFIG = {
  values: { mode: 'm', region: 'r' },
  flags: { 'no-online': 'N', 'no-movable': '', force: 'f', verbose: 'v', human: 'u' },
};
const DAXCTL_MEM = { values: { region: 'r' }, flags: { 'no-movable': '', verbose: 'v' } };

export function parseConsoleLine(input: string): ParsedAction {
  const line = input.trim();
  const readOnly = parseReadOnly(line);
  if (readOnly) return ok(readOnly);
  const echo = /^echo\s+(?:-n\s+)?(['"]?)([^'"\s]+)\1\s*>\s*(\S+)$/.exec(line);
  if (echo) return parseSysfsWrite(echo[2]!, echo[3]!);
  const words = splitWords(line);
  if (!words || words.length === 0) return unknown('not a single ndctl, daxctl, cxl or sysfs command');
  const [tool, cmd, ...args] = words;
  if (tool === 'ndctl') return parseNdctl(cmd ?? '', args);
  if (tool === 'daxctl') return parseDaxctl(cmd ?? '', args);
  if (tool === 'cxl') return parseCxl(cmd ?? '', args);
  if (tool === 'modprobe' || tool === 'rmmod') return parseModule(tool, words.slice(1));
  return unknown(`"${tool}" is outside the vocabulary`);
}

function parseNdctl(cmd: string, args: string[]): ParsedAction {
  if (cmd === 'create-namespace') {
    const o = parseOptions(args, NDCTL_CREATE);
    if ('error' in o) return unknown(`ndctl create-namespace: ${o.error}`);
    const mode = o.values.get('mode');
    if (mode && !['raw', 'fsdax', 'devdax', 'memory', 'dax'].includes(mode))
      return unknown(`ndctl create-namespace: mode ${mode} is not modelled`);
    const size = o.values.get('size');
    // the unit -s was written in, as ndctl's __parse_size64 reads it
    const unit = /^\s*\d+\s*([KMGT])/i.exec(size ?? '')?.[1];
    const align = o.values.get('align');
    const map = o.values.get('map');
    return ok({
      kind: 'create-namespace',
      ...(o.values.has('region') ? { region: normRegion(o.values.get('region')!) } : {}),
      ...(o.values.has('reconfig') ? { reconfig: o.values.get('reconfig')! } : {}),
      ...(mode
        ? { mode: mode === 'memory' ? 'fsdax' : mode === 'dax' ? 'devdax' : (mode as 'raw' | 'fsdax' | 'devdax') }
        : {}),
      ...(size !== undefined ? { size: parseSize(size) ?? NaN } : {}),
      ...(unit ? { sizeUnit: unit.toUpperCase() as 'K' | 'M' | 'G' | 'T' } : {}),
      ...(align !== undefined ? { align: parseSize(align) ?? NaN } : {}),
      ...(map === 'dev' || map === 'mem' ? { map } : {}),
      force: o.flags.has('force'),
    });
  }
  const target = (o: { positional: string[] }) => o.positional[0] ?? '';
  if (
    [
      'destroy-namespace',
      'disable-namespace',
      'enable-namespace',
      'disable-region',
      'enable-region',
      'init-labels',
      'clear-errors',
    ].includes(cmd)
  ) {
    const o = parseOptions(args, FORCE_ONLY);
    if ('error' in o) return unknown(`ndctl ${cmd}: ${o.error}`);
    if (!target(o)) return unknown(`ndctl ${cmd}: needs a device or "all"`);
    const force = o.flags.has('force');
    switch (cmd) {
      case 'destroy-namespace':
        return ok({ kind: 'destroy-namespace', target: target(o), force });
      case 'disable-namespace':
        return ok({ kind: 'namespace-enable', target: target(o), enable: false });
      case 'enable-namespace':
        return ok({ kind: 'namespace-enable', target: target(o), enable: true });
      case 'disable-region':
        return ok({ kind: 'region-enable', target: normRegion(target(o)), enable: false });
      case 'enable-region':
        return ok({ kind: 'region-enable', target: normRegion(target(o)), enable: true });
      case 'init-labels':
        return ok({ kind: 'init-labels', target: target(o), force });
      default:
        return ok({ kind: 'clear-errors', target: target(o) });
    }
  }
  return unknown(`ndctl ${cmd} is outside the vocabulary`);
}

function parseDaxctl(cmd: string, args: string[]): ParsedAction {
  if (cmd === 'reconfigure-device') {
    const o = parseOptions(args, DAXCTL_RECONFIG);
    if ('error' in o) return unknown(`daxctl reconfigure-device: ${o.error}`);
    const mode = o.values.get('mode');
    if (mode !== 'system-ram' && mode !== 'devdax')
      return unknown('daxctl reconfigure-device needs --mode=system-ram or --mode=devdax');
    if (o.positional.length !== 1) return unknown('daxctl reconfigure-device: one device, please');
    return ok({
      kind: 'reconfigure-device',
      device: o.positional[0]!,
      mode,
      online: !o.flags.has('no-online'),
      movable: !o.flags.has('no-movable'),
      force: o.flags.has('force'),
    });
  }
  if (cmd === 'online-memory' || cmd === 'offline-memory') {
    const o = parseOptions(args, DAXCTL_MEM);
    if ('error' in o) return unknown(`daxctl ${cmd}: ${o.error}`);
    if (o.positional.length !== 1) return unknown(`daxctl ${cmd}: one device, please`);
    return ok(
      cmd === 'online-memory'
        ? { kind: 'online-memory', device: o.positional[0]!, movable: !o.flags.has('no-movable') }
        : { kind: 'offline-memory', device: o.positional[0]! },
    );
  }
  return unknown(`daxctl ${cmd} is outside the vocabulary`);
}

function parseSysfsWrite(value: string, path: string): ParsedAction {
  let m = /^\/sys\/bus\/dax\/drivers\/(device_dax|kmem)\/(bind|unbind|new_id|remove_id)$/.exec(path);
  if (m)
    return ok({
      kind: 'dax-driver',
      driver: m[1] as 'device_dax' | 'kmem',
      op: m[2] as 'bind' | 'unbind' | 'new_id' | 'remove_id',
      device: value,
    });
  // block ids as the kernel names them (memory18, never memory018)
  m = /^\/sys\/devices\/system\/memory\/memory(0|[1-9]\d*)\/state$/.exec(path);
  if (m) {
    if (!['online', 'online_kernel', 'online_movable', 'offline'].includes(value))
      return unknown(`"${value}" is not a memory block state`);
    return ok({ kind: 'block-state', block: Number(m[1]), state: value as 'online' });
  }
  if (path === '/sys/devices/system/memory/auto_online_blocks') {
    if (!['offline', 'online', 'online_kernel', 'online_movable'].includes(value))
      return unknown(`"${value}" is not an auto_online_blocks policy`);
    return ok({ kind: 'auto-online', value: value as 'offline' });
  }
  m = /^\/sys\/bus\/nd\/devices\/(region\d+)\/align$/.exec(path);
  if (m) return ok({ kind: 'region-align', region: m[1]!, align: parseSize(value) ?? NaN });
  return unknown(`writing ${path} is outside the vocabulary`);
}

const normRegion = (r: string) => (/^\d+$/.test(r) ? `region${r}` : r);
