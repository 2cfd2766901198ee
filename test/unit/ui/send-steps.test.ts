import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../src-shared/api/contract';
import type { Step } from '../../../src-shared/scenario/schema';
import { sendSteps } from '../../../src-renderer/views/actions/send-steps';

const answer = (exitCode: number, output: string) =>
  ({ n: 1, at: 0, source: 'panel', step: null, real: { exitCode, output } }) as TimelineEntry;
const plug: Step[] = [
  { qmp: { execute: 'object-add', arguments: { 'qom-type': 'memory-backend-ram', id: 'mem-dimm1', size: 1 } } },
  { qmp: { execute: 'device_add', arguments: { driver: 'pc-dimm', id: 'dimm1', memdev: 'mem-dimm1' } } },
];

describe('what the action panel says it sent', () => {
  it('counts the steps sent, stops at the first failure and gives its reason in full', async () => {
    const refused = JSON.stringify({ error: { class: 'GenericError', desc: "duplicate property 'mem-dimm1'" } });
    const sent: Step[] = [];
    const r = await sendSteps(plug, (s) => (sent.push(s), Promise.resolve(answer(1, refused))));
    expect(sent).toHaveLength(1);
    expect(r).toEqual({ sent: 1, of: 2, exit: 1, reason: "QEMU: duplicate property 'mem-dimm1'" });
  });

  it("takes a tool's last line as its reason, and reports a full success", async () => {
    const r = await sendSteps([{ run: 'ndctl create-namespace -r region0' }], () =>
      Promise.resolve(answer(237, 'failed to create namespace: No space left on device\n')),
    );
    expect(r.reason).toBe('failed to create namespace: No space left on device');
    expect(await sendSteps(plug, () => Promise.resolve(answer(0, '{"return": {}}')))).toEqual({
      sent: 2,
      of: 2,
      exit: 0,
    });
  });

  it('counts nothing sent when the lab refused the step', async () => {
    expect(await sendSteps(plug, () => Promise.resolve(undefined))).toEqual({ sent: 0, of: 2 });
  });
});
