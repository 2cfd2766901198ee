// Sending a form's steps one after another, stopping at the first that fails,
// and saying exactly what happened: how many of them were sent and, for a
// failure, the reason QEMU or the tool gave, in full.
import type { TimelineEntry } from '../../../src-shared/api/contract';
import type { Step } from '../../../src-shared/scenario/schema';
import { parseQmpReply } from '../../../src-shared/actions/qmp-reply';

export interface Sent {
  sent: number;
  of: number;
  exit?: number;
  reason?: string;
}

export async function sendSteps(
  steps: readonly Step[],
  act: (step: Step) => Promise<TimelineEntry | undefined>,
): Promise<Sent> {
  let sent = 0;
  let exit: number | undefined;
  for (const step of steps) {
    const e = await act(step);
    if (!e) break;
    sent++;
    exit = e.real?.exitCode ?? e.model?.exitCode;
    if ((exit ?? 0) !== 0) {
      const reason = failure(e.real?.output ?? e.model?.output ?? '');
      return { sent, of: steps.length, exit: exit!, ...(reason ? { reason } : {}) };
    }
  }
  return { sent, of: steps.length, ...(exit !== undefined ? { exit } : {}) };
}

/** QEMU's error description, or the tool's last line. */
export function failure(output: string): string {
  const reply = parseQmpReply(output);
  if (reply && 'error' in reply && reply.error.desc) return `QEMU: ${reply.error.desc}`;
  return output.trim().split('\n').filter(Boolean).at(-1) ?? '';
}
