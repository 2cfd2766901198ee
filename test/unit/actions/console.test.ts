import { describe, expect, it } from 'vitest';
import { parseConsoleLine, parseQmpCommand } from '../../../src-shared/actions';

const action = (line: string) => {
  const p = parseConsoleLine(line);
  if (p.kind !== 'action') throw new Error(`${line}: ${p.reason}`);
  return p.action;
};

describe('action vocabulary', () => {
  it('reads ndctl options in every spelling the tool accepts', () => {
    const want = {
      kind: 'create-namespace',
      region: 'region0',
      mode: 'devdax',
      size: 64 * 2 ** 20,
      sizeUnit: 'M',
      force: false,
    };
    expect(action('ndctl create-namespace -r region0 -m devdax -s 64M')).toEqual(want);
    expect(action('ndctl create-namespace --region=region0 --mode devdax --size=64M')).toEqual(want);
    expect(action('ndctl create-namespace -r0 -mdevdax -s 64M')).toEqual(want);
    expect(action('ndctl create-namespace -f -e namespace0.0 -m devdax')).toMatchObject({
      reconfig: 'namespace0.0',
      force: true,
    });
    expect(action('ndctl create-namespace -m dax')).toMatchObject({ mode: 'devdax' });
    expect(action('ndctl create-namespace -s 1073741824 -a 1G -M mem')).toMatchObject({ align: 2 ** 30, map: 'mem' });
    expect(action('ndctl create-namespace -s 1073741824')).not.toHaveProperty('sizeUnit');
    expect(action('ndctl init-labels -f all')).toEqual({ kind: 'init-labels', target: 'all', force: true });
    expect(action('ndctl disable-region region0')).toEqual({ kind: 'region-enable', target: 'region0', enable: false });
  });

  it('reads daxctl and sysfs writes', () => {
    expect(action('daxctl reconfigure-device --mode=system-ram --no-movable dax0.0')).toEqual({
      kind: 'reconfigure-device',
      device: 'dax0.0',
      mode: 'system-ram',
      online: true,
      movable: false,
      force: false,
    });
    expect(action('daxctl reconfigure-device -N -m system-ram dax0.0')).toMatchObject({ online: false });
    expect(action('echo dax0.0 > /sys/bus/dax/drivers/kmem/new_id')).toEqual({
      kind: 'dax-driver',
      driver: 'kmem',
      op: 'new_id',
      device: 'dax0.0',
    });
    expect(action('echo online_movable > /sys/devices/system/memory/memory33/state')).toEqual({
      kind: 'block-state',
      block: 33,
      state: 'online_movable',
    });
    expect(action('echo 0x200000 > /sys/bus/nd/devices/region0/align')).toEqual({
      kind: 'region-align',
      region: 'region0',
      align: 0x200000,
    });
  });

  it('leaves everything else to the real guest, saying why', () => {
    for (const line of [
      'for b in 1 2; do echo online > x; done',
      'echo banana > /sys/devices/system/memory/memory1/state',
      'daxctl reconfigure-device --mode=famfs dax0.0',
    ]) {
      expect(parseConsoleLine(line).kind, line).toBe('unknown');
    }
  });

  it('reads the QMP commands of the vocabulary', () => {
    expect(
      parseQmpCommand({
        execute: 'object-add',
        arguments: { 'qom-type': 'memory-backend-ram', id: 'hp1', size: 536870912 },
      }),
    ).toEqual({
      kind: 'action',
      action: { kind: 'object-add', id: 'hp1', qomType: 'memory-backend-ram', size: 536870912 },
    });
    expect(
      parseQmpCommand({ execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'd', memdev: 'hp1', node: 1 } }),
    ).toMatchObject({ action: { kind: 'device-add', node: 1 } });
    expect(parseQmpCommand({ execute: 'query-status' }).kind).toBe('unknown');
  });
});
