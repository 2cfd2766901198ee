// Model-only actions: what the stock guest cannot show (no CONFIG_DEVICE_PRIVATE
// in Debian's kernel, no NVDIMM poison injection in QEMU). Scenario steps
// `model: LINE` and the UI's model-only panel use these lines:
//   device-private NAME SIZE        a driver registers device-private memory
//   add-memory START SIZE [NODE]    a driver hot-adds System RAM at START
//   badblocks NAMESPACE OFFSET LEN  media errors in a namespace
import { parseSize } from '../units';
import type { ParsedAction } from './types';

const num = (v: string | undefined) => (v === undefined ? undefined : parseSize(v));

export function parseModelOnlyLine(line: string): ParsedAction {
  const [verb, ...a] = line.trim().split(/\s+/);
  const bad = (usage: string): ParsedAction => ({ kind: 'unknown', reason: `model-only: usage: ${usage}` });
  switch (verb) {
    case 'device-private': {
      const size = num(a[1]);
      if (!a[0] || !size) return bad('device-private NAME SIZE');
      return { kind: 'action', action: { kind: 'device-private', name: a[0], size } };
    }
    case 'add-memory': {
      const start = num(a[0]);
      const size = num(a[1]);
      if (start === undefined || !size) return bad('add-memory START SIZE [NODE]');
      return { kind: 'action', action: { kind: 'add-memory', start, size, node: Number(a[2] ?? 0) } };
    }
    case 'badblocks': {
      const offset = num(a[1]);
      const length = num(a[2]);
      if (!a[0] || offset === undefined || !length) return bad('badblocks NAMESPACE OFFSET LENGTH');
      return { kind: 'action', action: { kind: 'inject-badblocks', namespace: a[0], offset, length } };
    }
    default:
      return {
        kind: 'unknown',
        reason: `model-only: "${verb}" is not a model-only action (device-private, add-memory, badblocks)`,
      };
  }
}
