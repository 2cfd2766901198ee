// run_scenario and export_report: a scenario file run on a guest and the model in lockstep, as pmem-lab run runs
// it (the scenario read and its QMP steps checked before anything boots, each step on the guest then through
// the ledger), but as a session of the backend, under its guest cap, whose timeline the other tools then read;
// and the session's HTML report, written only where the client asked.
import { z } from 'zod';
import type { SessionInfo, TimelineEntry } from '../../../src-shared/api/contract';
import { summarize } from '../../../src-shared/ledger';
import { fidelityLine } from '../../../src-shared/report/text';
import { loadScenario, ScenarioError } from '../../store/scenarios';
import { ProfileError } from '../../store/profile-error';
import { writeFileAtomic } from '../../util/atomic';
import { EntrySummarySchema, FidelitySchema, SessionIdSchema, SessionInfoSchema, sessionInfoOut } from '../schemas';
import { entrySummary, entryText } from '../summary';
import { reportTarget } from '../report-path';
import { result, ToolError, value } from '../results';
import { BOOT_PHASES } from '../session-watch';
import { GUEST, type ToolContext } from './context';
import { progressSender, waitOptions } from './progress';
import { sessionText } from './sessions';

async function scenarioOf(ref: string) {
  try {
    return await loadScenario(ref);
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof ProfileError) throw new ToolError(e.message, 'scenario');
    throw e;
  }
}

export function registerRunTools(ctx: ToolContext): void {
  const { server, backend, watch } = ctx;

  server.registerTool(
    'run_scenario',
    {
      title: 'Run a scenario',
      description:
        'Boots the scenario profile and runs each step on the guest and on the model in lockstep, as pmem-lab run ' +
        'does (a QMP step outside the memory vocabulary refuses the scenario before anything boots). Answers with ' +
        'every entry compared and whether the guest and the model agree at every step; the guest is then stopped ' +
        'unless keep is set, and the session stays readable by compare, explain, kernel_log and export_report.',
      inputSchema: {
        scenario: z.string().min(1).max(4096).describe('a name from the scenarios resource, or a path to a scenario'),
        keep: z.boolean().optional().describe('leave the guest running after the last step'),
      },
      outputSchema: {
        session: SessionInfoSchema,
        scenario: z.string(),
        agree: z.boolean(),
        fidelity: FidelitySchema,
        entries: z.array(EntrySummarySchema),
      },
      annotations: GUEST,
    },
    async ({ scenario: ref, keep = false }, extra) => {
      if (ctx.closing()) throw new ToolError('the server is shutting down');
      const { scenario, profile } = await scenarioOf(ref);
      const id = value(await backend.bootProfile(profile.name, profile)).id;
      const total = BOOT_PHASES.length + scenario.steps.length;
      const progress = progressSender(extra);
      try {
        const booted = await watch.untilSettled(id, waitOptions({ timeoutSeconds: 600 }, extra, total));
        if (booted?.phase !== 'ready')
          throw new ToolError(`the guest did not come up: ${booted ? sessionText(booted) : 'session gone'}`);
        for (const [i, step] of scenario.steps.entries()) {
          if (extra.signal.aborted) throw new ToolError(`cancelled before steps[${i}]`);
          const r = await backend.act(id, step, 'scenario');
          if (!r.ok) throw new ToolError(r.error.message, `steps[${i}]`);
          await progress(BOOT_PHASES.length + i + 1, total, `steps[${i}] done`);
        }
      } finally {
        if (!keep || extra.signal.aborted) await backend.call('vm.stop', { session: id });
      }
      const entries = value(await backend.call('session.timeline', { session: id })) as TimelineEntry[];
      const { fidelity, agree } = summarize(entries);
      const session = (await watch.info(id)) as SessionInfo;
      const summaries = entries.map((e) => entrySummary(id, e));
      const text = [
        `${scenario.name}: ${agree ? 'model and guest agree' : 'model and guest DIFFER'} (${fidelityLine(fidelity)})`,
        sessionText(session),
        ...summaries.filter((s) => !s.agree).map((s) => entryText(s, 6)),
      ].join('\n');
      return result(
        { session: sessionInfoOut(session), scenario: scenario.name, agree, fidelity, entries: summaries },
        text,
      );
    },
  );

  server.registerTool(
    'export_report',
    {
      title: 'Export the HTML report',
      description:
        "Writes the session's self-contained HTML report (every entry, the fidelity by dimension, real and model " +
        '/proc/iomem aligned with the rule behind each model line) to the file named, atomically. The path must ' +
        'be absolute and end in .html; a folder, a symbolic link or a missing folder is refused, and an existing ' +
        'file is replaced only with overwrite.',
      inputSchema: {
        session: SessionIdSchema,
        path: z.string().min(1).max(4096).describe('an absolute path ending in .html, e.g. /tmp/dimm-report.html'),
        overwrite: z.boolean().optional().describe('replace the file if it exists'),
      },
      outputSchema: { path: z.string(), bytes: z.number().int(), entries: z.number().int() },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async ({ session, path, overwrite = false }) => {
      const target = await reportTarget(path, overwrite);
      const { html } = value(await backend.call('session.report', { session })) as { html: string };
      const entries = (value(await backend.call('session.timeline', { session })) as TimelineEntry[]).length;
      await writeFileAtomic(target, html);
      const bytes = Buffer.byteLength(html);
      return result(
        { path: target, bytes, entries },
        `report of ${entries} entries written to ${target} (${bytes} bytes)`,
      );
    },
  );
}
