import { describe, expect, it } from 'vitest';
import { exitReason } from '../../../src-main/qemu/exit-reason';

describe('why QEMU went away, as the header says it', () => {
  it('names a SIGTERM from outside the lab, which QEMU turns into exit status 0', () => {
    // stderr exactly as qemu-system-x86_64 7.2 printed it here after `kill -TERM`
    const stderr = 'qemu-system-x86_64: terminating on signal 15 from pid 31475 (bash)\n';
    expect(exitReason(0, null, stderr)).toBe(
      'QEMU was stopped from outside the lab: SIGTERM from process 31475 (bash)',
    );
  });

  it('tells a kill, a crash, a failure and a quit apart', () => {
    expect(exitReason(null, 'SIGKILL', '')).toMatch(/^QEMU was killed \(SIGKILL\)/);
    expect(exitReason(null, 'SIGSEGV', 'oops')).toBe('QEMU died of SIGSEGV: oops');
    expect(exitReason(1, null, 'qemu: bad option\n')).toBe('QEMU failed with exit status 1: qemu: bad option');
    expect(exitReason(0, null, '')).toMatch(/^QEMU quit on its own/);
  });
});
