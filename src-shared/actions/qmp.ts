// QMP commands of the vocabulary -> actions.
import type { ParsedAction } from './types';

export function parseQmpCommand(cmd: unknown): ParsedAction {
  if (typeof cmd !== 'object' || cmd === null) return { kind: 'unknown', reason: 'not a QMP command object' };
  const { execute, arguments: a = {} } = cmd as { execute?: unknown; arguments?: Record<string, unknown> };
  const str = (k: string) => (typeof a[k] === 'string' ? a[k] : undefined);
  const num = (k: string) =>
    typeof a[k] === 'number' ? a[k] : typeof a[k] === 'string' && /^\d+$/.test(a[k]) ? Number(a[k]) : undefined;
  switch (execute) {
    case 'object-add': {
      const qomType = str('qom-type');
      const id = str('id');
      const size = num('size');
      if (!qomType?.startsWith('memory-backend-') || !id || size === undefined)
        return { kind: 'unknown', reason: 'object-add of a memory backend needs qom-type, id and size' };
      return { kind: 'action', action: { kind: 'object-add', id, qomType, size } };
    }
    case 'device_add': {
      const driver = str('driver');
      const id = str('id');
      const memdev = str('memdev');
      if (driver !== 'pc-dimm' || !id || !memdev)
        return {
          kind: 'unknown',
          reason: `device_add of ${driver ?? 'that device'} is not modelled (pc-dimm with id and memdev is)`,
        };
      const node = num('node');
      const addr = num('addr');
      return {
        kind: 'action',
        action: {
          kind: 'device-add',
          driver,
          id,
          memdev,
          ...(node !== undefined ? { node } : {}),
          ...(addr !== undefined ? { addr } : {}),
        },
      };
    }
    case 'device_del': {
      const id = str('id');
      return id
        ? { kind: 'action', action: { kind: 'device-del', id } }
        : { kind: 'unknown', reason: 'device_del needs an id' };
    }
    case 'qom-set':
      if (a.property === 'requested-size' && str('path'))
        return { kind: 'action', action: { kind: 'virtio-mem-resize', path: str('path')!, size: num('value') ?? NaN } };
      return { kind: 'unknown', reason: 'only qom-set of virtio-mem requested-size is in the vocabulary' };
    default:
      return { kind: 'unknown', reason: `QMP ${String(execute)} does not change the memory map` };
  }
}
