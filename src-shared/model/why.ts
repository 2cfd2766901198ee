/** The rule that produced a model line, block state or refusal, and the kernel code it follows. */
export interface Why {
  rule: string;
  source: string;
}

export const why = (rule: string, source: string): Why => ({ rule, source });
