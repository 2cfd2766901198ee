// QMP from users: the memory vocabulary passes, every other class is refused
// with the field and the reason, and file backends land in the runtime folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkUserQmp, type QmpCommand } from '../../../src-shared/actions/qmp-allow';
import { parseScenarioYaml } from '../../../src-shared/scenario/schema';
import { dimmPlugSteps, dimmUnplugStep } from '../../../src-renderer/views/actions/action-lines';

const GiB = 2 ** 30;
const place = { maxmem: 8 * GiB, runDir: '/run/pmem-lab/abcd1234' };
const refused = (cmd: QmpCommand) => {
  const v = checkUserQmp(cmd, place);
  if (v.ok) throw new Error(`${JSON.stringify(cmd)} passed`);
  return v;
};

describe('QMP from users', () => {
  it('passes every QMP step of the shipped scenarios and of the action panel unchanged', () => {
    const dir = join(import.meta.dirname, '../../../scenarios');
    const cmds: QmpCommand[] = [];
    for (const f of readdirSync(dir)) {
      const r = parseScenarioYaml(readFileSync(join(dir, f), 'utf8'));
      if (!r.ok) throw new Error(f);
      for (const s of r.value.steps) if ('qmp' in s) cmds.push(s.qmp);
    }
    const panel = dimmPlugSteps({ id: 'dimm9', size: '512M', node: '' });
    if (!panel.ok) throw new Error(panel.error);
    for (const s of panel.steps) if ('qmp' in s) cmds.push(s.qmp);
    const del = dimmUnplugStep('dimm9');
    if (del.ok) for (const s of del.steps) if ('qmp' in s) cmds.push(s.qmp);
    expect(cmds.length).toBeGreaterThanOrEqual(8);
    for (const c of cmds) expect(checkUserQmp(c, place)).toEqual({ ok: true, command: c });
  });

  it('refuses commands that reach the host, naming the class', () => {
    expect(refused({ execute: 'migrate', arguments: { uri: 'exec:touch /tmp/pwned' } })).toMatchObject({
      field: 'qmp.execute',
      reason: expect.stringMatching(/runs commands on the host/),
    });
    expect(refused({ execute: 'migrate-set-parameters', arguments: {} }).reason).toMatch(/migration/);
    expect(refused({ execute: 'human-monitor-command', arguments: { 'command-line': 'info status' } }).reason).toMatch(
      /whole human monitor/,
    );
    expect(refused({ execute: 'quit' }).reason).toMatch(/guest's life/);
    expect(refused({ execute: 'blockdev-add', arguments: { driver: 'file', filename: '/etc/shadow' } }).reason).toMatch(
      /host files/,
    );
    expect(refused({ execute: 'chardev-add', arguments: {} }).reason).toMatch(/host files, sockets/);
    expect(refused({ execute: 'frobnicate' }).reason).toMatch(/only the memory vocabulary passes/);
  });

  it('refuses memory backends with a host path, other backend types and unknown arguments', () => {
    const file = { 'qom-type': 'memory-backend-file', id: 'f1', size: GiB };
    expect(refused({ execute: 'object-add', arguments: { ...file, 'mem-path': '/etc/passwd' } })).toMatchObject({
      field: 'qmp.arguments.mem-path',
    });
    expect(refused({ execute: 'object-add', arguments: { ...file, 'mem-path': '../../etc/passwd' } })).toMatchObject({
      field: 'qmp.arguments.mem-path',
    });
    expect(refused({ execute: 'object-add', arguments: { ...file, 'mem-path': '..' } })).toMatchObject({
      field: 'qmp.arguments.mem-path',
    });
    expect(
      refused({ execute: 'object-add', arguments: { 'qom-type': 'memory-backend-memfd', id: 'm', size: GiB } }),
    ).toMatchObject({ field: 'qmp.arguments.qom-type' });
    expect(
      refused({ execute: 'object-add', arguments: { 'qom-type': 'secret', id: 's', file: '/etc/shadow' } }),
    ).toMatchObject({ field: 'qmp.arguments.qom-type' });
    expect(
      refused({
        execute: 'object-add',
        arguments: { 'qom-type': 'memory-backend-ram', id: 'r', size: GiB, 'host-nodes': [0], policy: 'bind' },
      }),
    ).toMatchObject({ field: 'qmp.arguments.host-nodes' });
    expect(
      refused({ execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'r', size: 16 * GiB } }),
    ).toMatchObject({ field: 'qmp.arguments.size', reason: expect.stringMatching(/maxmem/) });
    expect(
      refused({ execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'a,b', size: GiB } }),
    ).toMatchObject({ field: 'qmp.arguments.id' });
  });

  it('refuses shared anonymous RAM, which a checkpoint would bring back empty, and names the fix', () => {
    const ram = { 'qom-type': 'memory-backend-ram', id: 'r', size: GiB };
    expect(refused({ execute: 'object-add', arguments: { ...ram, share: true } })).toMatchObject({
      field: 'qmp.arguments.share',
      reason: expect.stringMatching(/rewind would bring it back empty; use memory-backend-file with share$/),
    });
    for (const share of [false, undefined]) {
      expect(checkUserQmp({ execute: 'object-add', arguments: { ...ram, share } }, place)).toMatchObject({ ok: true });
    }
    const file = { 'qom-type': 'memory-backend-file', id: 'f', size: GiB, share: true };
    expect(checkUserQmp({ execute: 'object-add', arguments: file }, place)).toMatchObject({ ok: true });
  });

  it('places file backends inside the runtime folder, under a prefix no lab file has', () => {
    const base = { 'qom-type': 'memory-backend-file', id: 'nv2', size: GiB, share: true };
    const named = checkUserQmp({ execute: 'object-add', arguments: { ...base, 'mem-path': 'qmp.sock' } }, place);
    expect(named).toMatchObject({
      ok: true,
      command: { arguments: { 'mem-path': `${place.runDir}/backend-qmp.sock` } },
    });
    const unnamed = checkUserQmp({ execute: 'object-add', arguments: base }, place);
    expect(unnamed).toMatchObject({ ok: true, command: { arguments: { 'mem-path': `${place.runDir}/backend-nv2` } } });
  });

  it('refuses devices that are not memory devices and properties a memory device would not take', () => {
    expect(refused({ execute: 'device_add', arguments: { driver: 'e1000', id: 'n0' } })).toMatchObject({
      field: 'qmp.arguments.driver',
      reason: expect.stringMatching(/only memory devices/),
    });
    expect(
      refused({
        execute: 'device_add',
        arguments: { driver: 'virtio-mem-pci', id: 'vm0', memdev: 'm0', romfile: '/etc/shadow' },
      }),
    ).toMatchObject({ field: 'qmp.arguments.romfile' });
    expect(
      refused({ execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'd', memdev: 'm', addr: -1 } }),
    ).toMatchObject({ field: 'qmp.arguments.addr' });
    expect(
      refused({
        execute: 'qom-set',
        arguments: { path: '/machine/unattached/device[0]', property: 'requested-size', value: 0 },
      }),
    ).toMatchObject({ field: 'qmp.arguments.path' });
    expect(refused({ execute: 'qom-set', arguments: { path: 'vm0', property: 'memdev', value: 'x' } })).toMatchObject({
      field: 'qmp.arguments.property',
    });
    expect(
      checkUserQmp({ execute: 'qom-get', arguments: { path: '/machine/peripheral/vm0', property: 'size' } }, place).ok,
    ).toBe(true);
    expect(checkUserQmp({ execute: 'query-memory-devices' }, place).ok).toBe(true);
  });
});
