// pmem-lab doctor: what the host has and lacks, with the exact fix for each
// gap. The checks are in doctor-checks.ts; this file runs and reports them.
import { access } from 'node:fs/promises';
import { findGuestTools, hostKernel, type GuestTools, type KernelInput } from '../kit/sources';
import { accelCachePath, forgetAccelVerdict } from '../guest/accel';
import { prepare } from '../guest/lab';
import { cacheDir } from '../util/paths';
import {
  DOCTOR_CHECKS,
  kvmAccess,
  type CheckResult,
  type CheckStatus,
  type DoctorCheck,
  type DoctorHost,
} from './doctor-checks';
import type { CommandArgs } from './spec';

export interface CheckReport extends CheckResult {
  name: string;
}

export type Verdict = 'ready' | 'ready-with-warnings' | 'not-ready';

/** `pmem-lab doctor --json` prints this. */
export interface DoctorReport {
  checks: CheckReport[];
  verdict: Verdict;
  /** the command's exit status: 0 nothing missing (warnings allowed), 1 something missing */
  exitCode: 0 | 1;
}

/** Runs each check in turn (later ones reuse what earlier ones looked up); a throw is a miss. */
export async function runChecks(
  checks: readonly DoctorCheck[],
  host: DoctorHost,
  onReport: (r: CheckReport) => void = () => {},
): Promise<CheckReport[]> {
  const reports: CheckReport[] = [];
  for (const c of checks) {
    const r = await c.run(host).then(
      (v): CheckResult => (typeof v === 'string' ? { status: 'ok', detail: v } : v),
      (e: Error): CheckResult => {
        const [detail = '', fix] = e.message.split('\n  fix: ');
        return { status: 'miss', detail, ...(fix ? { fix } : {}) };
      },
    );
    const report = { name: c.name, ...r };
    reports.push(report);
    onReport(report);
  }
  return reports;
}

export function verdictOf(checks: readonly CheckReport[]): DoctorReport {
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  const verdict: Verdict = count('miss') ? 'not-ready' : count('warn') ? 'ready-with-warnings' : 'ready';
  return { checks: [...checks], verdict, exitCode: verdict === 'not-ready' ? 1 : 0 };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The last line: never "ready" alone beside a warning. */
export function summaryLine(r: DoctorReport): string {
  const misses = r.checks.filter((c) => c.status === 'miss').length;
  const warns = r.checks.filter((c) => c.status === 'warn').length;
  if (r.verdict === 'ready') return 'ready: every check passed';
  if (r.verdict === 'ready-with-warnings')
    return (
      `ready, with ${plural(warns, 'warning')}: the lab works; the fix above removes ` +
      `${warns === 1 ? 'it' : 'them'}`
    );
  return (
    `not ready: ${misses} missing${warns ? `, ${plural(warns, 'warning')}` : ''}; apply the fixes above, or ` +
    `run "npm run setup" as root to install everything`
  );
}

const LABEL: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', miss: 'MISS' };

export function formatReport(r: CheckReport): string {
  return `${LABEL[r.status]}  ${r.name}: ${r.detail}${r.fix ? `\n      fix: ${r.fix}` : ''}`;
}

function realHost(reprobe: boolean): DoctorHost {
  let kernel: Promise<KernelInput> | undefined;
  let tools: Promise<GuestTools> | undefined;
  const path = accelCachePath(cacheDir());
  return {
    kernel: () => (kernel ??= hostKernel()),
    tools: () => (tools ??= findGuestTools()),
    prepare,
    kvmAccess,
    accelCache: {
      path,
      exists: () =>
        access(path).then(
          () => true,
          () => false,
        ),
      forget: () => forgetAccelVerdict(cacheDir()),
    },
    reprobe,
    progress: (line) => void process.stderr.write(`${line}\n`),
  };
}

export async function doctorCommand(args: CommandArgs): Promise<number> {
  const json = args.flags.has('json');
  const checks = await runChecks(
    DOCTOR_CHECKS,
    realHost(args.flags.has('reprobe')),
    json ? undefined : (r) => console.log(formatReport(r)),
  );
  const report = verdictOf(checks);
  console.log(json ? JSON.stringify(report, null, 2) : `\n${summaryLine(report)}`);
  return report.exitCode;
}
