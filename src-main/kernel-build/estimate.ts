// How far a compile is: kbuild prints one "  CC" or "  LD" line per object it
// makes (quiet_cmd_cc_o_c, quiet_cmd_ld_ko_o, ...), so their count against the
// count the last build of the same preset made gives the percent and an ETA.
import type { BuildProgress } from './types';

/** "  CC      mm/memory.o", "  CC [M]  lib/test_hmm.o", "  LD [M]  lib/test_hmm.ko", "  LD      vmlinux.o" */
const OBJECT_LINE = /^ {2}(CC|LD) /;

/** What a first build is measured against: the CC and LD lines of the hmm preset's build on the lab's machine. */
export const DEFAULT_OBJECTS = 1124;

export const isObjectLine = (line: string): boolean => OBJECT_LINE.test(line);

/** "9m41s", "45s" */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Below 100 until make is done: the count of the last build is an estimate, and linking comes last. */
export function estimate(
  objects: number,
  expected: number,
  elapsedSeconds: number,
): Required<Pick<BuildProgress, 'percent'>> & Pick<BuildProgress, 'etaSeconds'> {
  const percent = Math.min(99, Math.floor((objects / Math.max(1, expected)) * 100));
  if (objects === 0 || objects >= expected) return { percent };
  return { percent, etaSeconds: Math.round((elapsedSeconds * (expected - objects)) / objects) };
}

/** Counts object lines; hands back a progress report each time the percent moves. */
export class CompileCounter {
  objects = 0;
  private lastPercent = -1;

  constructor(
    private readonly expected: number,
    private readonly startedAt: number = performance.now(),
    private readonly now: () => number = () => performance.now(),
  ) {}

  line(line: string): BuildProgress | undefined {
    if (!isObjectLine(line)) return undefined;
    this.objects++;
    const elapsed = (this.now() - this.startedAt) / 1000;
    const e = estimate(this.objects, this.expected, elapsed);
    if (e.percent === this.lastPercent) return undefined;
    this.lastPercent = e.percent;
    const left = e.etaSeconds === undefined ? '' : `, about ${formatDuration(e.etaSeconds)} left`;
    return {
      stage: 'compile',
      detail: `${this.objects}/~${this.expected} objects, ${formatDuration(elapsed)} elapsed${left}`,
      ...e,
    };
  }
}
