// The action panel sends exactly the vocabulary: every form becomes a line or
// QMP command the shared parser reads back as the intended action.
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, parseQmpCommand } from '../../../src-shared/actions';
import {
  blockStateLine,
  createNamespaceLine,
  destroyNamespaceLine,
  dimmPlugSteps,
  dimmUnplugStep,
  modelOnlyLine,
  reconfigureLine,
  virtioMemResizeStep,
} from '../../../src-renderer/views/actions/action-lines';

const line = (b: ReturnType<typeof createNamespaceLine>) => (b.ok ? (b.steps[0] as { run: string }).run : b.error);

describe('action panel lines', () => {
  it('builds create-namespace with only the options given', () => {
    const b = createNamespaceLine({
      region: 'region0',
      mode: 'devdax',
      size: '',
      align: '',
      reconfig: '',
      force: false,
    });
    expect(line(b)).toBe('ndctl create-namespace -r region0 -m devdax');
    const sized = createNamespaceLine({
      region: 'region1',
      mode: 'fsdax',
      size: '512M',
      align: '2M',
      reconfig: '',
      force: true,
    });
    expect(line(sized)).toBe('ndctl create-namespace -r region1 -m fsdax -s 512M -a 2M -f');
    const p = parseConsoleLine(line(sized));
    expect(p).toMatchObject({
      kind: 'action',
      action: {
        kind: 'create-namespace',
        region: 'region1',
        mode: 'fsdax',
        size: 512 * 2 ** 20,
        align: 2 * 2 ** 20,
        force: true,
      },
    });
    expect(
      line(
        createNamespaceLine({
          region: 'region0',
          mode: 'devdax',
          size: '',
          align: '',
          reconfig: 'namespace0.0',
          force: true,
        }),
      ),
    ).toBe('ndctl create-namespace -e namespace0.0 -m devdax -f');
  });

  it('refuses bad sizes naming the field', () => {
    expect(
      createNamespaceLine({ region: 'region0', mode: 'devdax', size: 'big', align: '', reconfig: '', force: false }),
    ).toEqual({ ok: false, error: expect.stringMatching(/^size: "big"/) });
    expect(destroyNamespaceLine('', true)).toMatchObject({ ok: false, error: expect.stringMatching(/^namespace:/) });
  });

  it('builds daxctl reconfigure-device with the onlining choices', () => {
    const base = { device: 'dax0.0', mode: 'system-ram' as const, online: true, movable: true, force: false };
    expect(line(reconfigureLine(base))).toBe('daxctl reconfigure-device --mode=system-ram dax0.0');
    expect(line(reconfigureLine({ ...base, movable: false }))).toBe(
      'daxctl reconfigure-device --mode=system-ram --no-movable dax0.0',
    );
    expect(line(reconfigureLine({ ...base, online: false }))).toBe(
      'daxctl reconfigure-device --mode=system-ram --no-online dax0.0',
    );
    expect(parseConsoleLine(line(reconfigureLine({ ...base, online: false })))).toMatchObject({
      action: { kind: 'reconfigure-device', online: false },
    });
    expect(line(reconfigureLine({ ...base, mode: 'devdax', force: true }))).toBe(
      'daxctl reconfigure-device --mode=devdax --force dax0.0',
    );
  });

  it('writes a memory block state through sysfs', () => {
    expect(line(blockStateLine({ block: '33', state: 'online_movable' }))).toBe(
      'echo online_movable > /sys/devices/system/memory/memory33/state',
    );
    expect(parseConsoleLine(line(blockStateLine({ block: '33', state: 'offline' })))).toMatchObject({
      action: { kind: 'block-state', block: 33, state: 'offline' },
    });
    expect(blockStateLine({ block: 'memory33', state: 'offline' }).ok).toBe(false);
  });

  it('hotplugs a DIMM as object-add then device_add, both in the vocabulary', () => {
    const b = dimmPlugSteps({ id: 'dimm1', size: '512M', node: '1' });
    if (!b.ok) throw new Error(b.error);
    expect(b.steps).toEqual([
      {
        qmp: {
          execute: 'object-add',
          arguments: { 'qom-type': 'memory-backend-ram', id: 'mem-dimm1', size: 536870912 },
        },
      },
      { qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'dimm1', memdev: 'mem-dimm1', node: 1 } } },
    ]);
    expect(
      parseQmpCommand((b.steps[1] as { qmp: { execute: string; arguments: Record<string, unknown> } }).qmp),
    ).toMatchObject({ action: { kind: 'device-add', node: 1 } });
    expect(dimmPlugSteps({ id: 'a,b', size: '1G', node: '' }).ok).toBe(false);
    expect(dimmUnplugStep('dimm1')).toMatchObject({
      ok: true,
      steps: [{ qmp: { execute: 'device_del', arguments: { id: 'dimm1' } } }],
    });
  });

  it("builds a virtio-mem device's qom-set of requested-size in bytes, 0 included", () => {
    expect(virtioMemResizeStep('vm0', '512M')).toMatchObject({
      ok: true,
      steps: [{ qmp: { execute: 'qom-set', arguments: { path: 'vm0', property: 'requested-size', value: 2 ** 29 } } }],
    });
    expect(virtioMemResizeStep('vm0', '0')).toMatchObject({ ok: true, steps: [{ qmp: { arguments: { value: 0 } } }] });
    expect(virtioMemResizeStep('vm0', 'lots')).toEqual({
      ok: false,
      error: 'requested size: "lots" is not a size (e.g. 512M)',
    });
    expect(virtioMemResizeStep('', '1G')).toEqual({ ok: false, error: 'device: pick a virtio-mem device' });
  });

  it('builds model-only lines the model parser accepts', () => {
    expect(modelOnlyLine({ kind: 'device-private', name: 'hmm0', size: '256M' })).toMatchObject({
      ok: true,
      steps: [{ model: 'device-private hmm0 256M' }],
    });
    expect(modelOnlyLine({ kind: 'add-memory', start: '0x140000000', size: '128M', node: '0' })).toMatchObject({
      ok: true,
    });
    expect(modelOnlyLine({ kind: 'badblocks', namespace: 'namespace0.0', offset: '0', length: '' }).ok).toBe(false);
  });
});
