// How a step sent from the panel reads in the guest console, beside what the
// guest printed. A console line needs no words of the lab's: the guest's agent
// echoes it ("# line") and its output. A step the guest's shell never sees
// (QMP, model-only) gets a dim heading naming it and its answer, an error in
// red with its reason in full.
import { parseQmpReply } from '../../src-shared/actions/qmp-reply';
import { sentText } from '../../src-shared/ledger';
import type { Step } from '../../src-shared/scenario/schema';
import type { StepAnswer } from '../guest/runner';

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export function stepHeading(step: Step): string {
  if ('run' in step) return '\r\n';
  return `\r\n${DIM}[pmem-lab ${'qmp' in step ? 'QMP' : 'model-only'}] ${sentText(step)}${RESET}\r\n`;
}

/** QEMU's reply to a QMP step ({"return": …} or {"error": {class, desc}}), or the model-only note. */
export function answerText(answer: Pick<StepAnswer, 'output' | 'exitCode'>): string {
  const reply = parseQmpReply(answer.output);
  if (reply && 'error' in reply)
    return `${RED}QEMU refused (${reply.error.class ?? 'error'}): ${reply.error.desc ?? ''}${RESET}\r\n`;
  if (reply && 'return' in reply) return `${DIM}QEMU: ${JSON.stringify(reply.return)}${RESET}\r\n`;
  return `${DIM}${answer.output.replace(/\r?\n/g, '\r\n')}${RESET}\r\n`;
}
