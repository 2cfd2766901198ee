import { describe, expect, it } from 'vitest';
import { parseConsoleLine } from '../../../src-shared/actions';

const kindOf = (line: string) => {
  const p = parseConsoleLine(line);
  return p.kind === 'action' ? p.action.kind : 'unknown';
};

describe('read-only lines', () => {
  it('are read as one no-op action, each command of a pipeline as its words', () => {
    expect(parseConsoleLine('cat /proc/iomem | grep "System RAM"')).toEqual({
      kind: 'action',
      action: {
        kind: 'read-only',
        commands: [
          ['cat', '/proc/iomem'],
          ['grep', 'System RAM'],
        ],
      },
    });
    for (const line of [
      'ls /sys',
      'ls -l /sys/bus/nd/devices',
      'cat /sys/devices/system/memory/memory33/state',
      'cat /sys/devices/system/memory/memory*/state',
      'ndctl list',
      'ndctl list -RNu',
      'daxctl list -M',
      'cxl list',
      'head -3 /proc/iomem',
      'dmesg | tail -3',
      'wc -l /proc/iomem',
      'free -m',
      'grep -c online /sys/devices/system/memory/memory3/state',
    ]) {
      expect(kindOf(line), line).toBe('read-only');
    }
  });

  it('refuse anything that can write or run something else', () => {
    for (const line of [
      'cat /proc/iomem > /tmp/x',
      'cat /proc/iomem >> /tmp/x',
      'cat < /proc/iomem',
      'cat /proc/iomem | tee /tmp/x',
      'ls; echo offline > /sys/devices/system/memory/memory33/state',
      'ls && ndctl destroy-namespace -f all',
      'ls || reboot',
      'ls &',
      'cat $(ls)',
      'cat `ls`',
      'cat ${HOME}',
      '(ls)',
      'ls\necho 1',
      'sed -i s/a/b/ /tmp/x',
      'awk 1 /proc/iomem',
      'find / -delete',
      'xargs rm',
      'sort -o /tmp/x /proc/iomem',
      'uniq /proc/iomem /tmp/x',
      'dmesg -c',
      'dmesg -C',
      'dmesg --clear',
      'dmesg -n 1',
      'ndctl destroy-namespace -f all',
      'daxctl offline-memory dax0.0 | cat',
      'cxl disable-region region0',
      'cat "unterminated',
    ]) {
      expect(kindOf(line), line).not.toBe('read-only');
    }
    // vocabulary actions stay actions
    expect(kindOf('echo offline > /sys/devices/system/memory/memory33/state')).toBe('block-state');
    expect(kindOf('ndctl create-namespace -m devdax')).toBe('create-namespace');
  });
});
