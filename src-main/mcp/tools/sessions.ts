// boot, status, stop, step, snapshot: a guest's life and its steps, each through the backend (its guest cap,
// kernel folders, QMP allow-list and ledger), as the app's Boot button, action panel and Snapshot button do.
import { z } from 'zod';
import type { SessionInfo, TimelineEntry } from '../../../src-shared/api/contract';
import {
  EntrySummarySchema,
  ProfileRefSchema,
  SessionIdSchema,
  SessionInfoSchema,
  sessionInfoOut,
  StepInputSchema,
} from '../schemas';
import { SnapshotSchema, snapshotOut } from '../snapshot-schema';
import { entrySummary, entryText } from '../summary';
import { resolveProfile } from '../profile-ref';
import { result, ToolError, value } from '../results';
import { GUEST, READ_ONLY, type ToolContext } from './context';
import { waitOptions } from './progress';

const WaitShape = {
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(1800)
    .optional()
    .describe('how long to wait at most (default 300); the session is reported as it then stands'),
};

export function sessionText(s: SessionInfo): string {
  if (s.phase === 'ready') {
    const from =
      s.boot?.from === 'checkpoint' ? 'restored from its checkpoint' : `cold${s.boot?.why ? ` (${s.boot.why})` : ''}`;
    const sync = s.outOfSync ? `; model out of sync: ${s.outOfSync}` : '';
    const how = `${from}, ${s.accel ?? '?'}, kernel ${s.kernel ?? '?'}${sync}`;
    return `session ${s.id} (${s.profile}): ready in ${s.readyMs} ms, ${how}`;
  }
  return `session ${s.id} (${s.profile}): ${s.phase}${s.reason ? `: ${s.reason}` : ''}`;
}

/** A boot that ended in a crash is the tool's failure, with QEMU's or the guest's reason. */
function mustNotHaveCrashed(s: SessionInfo): SessionInfo {
  if (s.phase === 'crashed') throw new ToolError(`the guest did not come up: ${sessionText(s)}`);
  return s;
}

export function registerSessionTools(ctx: ToolContext): void {
  const { server, backend, watch } = ctx;

  server.registerTool(
    'boot',
    {
      title: 'Boot a guest',
      description:
        'Boots a QEMU guest from a profile (under the lab guest cap) and answers at once with its session id. ' +
        'With wait (the default when the request carries a progressToken, since progress notifications belong to ' +
        'a request still open) it answers once the guest is ready, with a progress notification per boot phase: ' +
        'kit, qemu, firmware, kernel, init, ready. A boot restores the profile checkpoint when there is one.',
      inputSchema: {
        profile: ProfileRefSchema,
        wait: z.boolean().optional().describe('answer once the guest is ready (or failed)'),
        ...WaitShape,
      },
      outputSchema: SessionInfoSchema.shape,
      annotations: GUEST,
    },
    async (args, extra) => {
      if (ctx.closing()) throw new ToolError('the server is shutting down');
      const r = await resolveProfile(args.profile);
      if (!r.ok) throw ToolError.fields(r.errors);
      let info = value(await backend.bootProfile(r.name, r.profile));
      const wait = args.wait ?? extra._meta?.progressToken !== undefined;
      if (wait) info = mustNotHaveCrashed((await watch.untilSettled(info.id, waitOptions(args, extra))) ?? info);
      return result(sessionInfoOut(info), sessionText(info));
    },
  );

  server.registerTool(
    'status',
    {
      title: 'Session status',
      description:
        "A session's phase, accelerator, kernel, boot time and whether it came from a checkpoint; every session " +
        'of this server without a session id. With wait, answers once the session is ready, stopped or crashed ' +
        '(with progress notifications when the request carries a progressToken).',
      inputSchema: {
        session: SessionIdSchema.optional(),
        wait: z.boolean().optional().describe('wait until the session is ready, stopped or crashed'),
        ...WaitShape,
      },
      outputSchema: { sessions: z.array(SessionInfoSchema) },
      annotations: READ_ONLY,
    },
    async (args, extra) => {
      if (!args.session) {
        if (args.wait) throw new ToolError('wait needs a session', 'wait');
        const { sessions } = value(await backend.call('lab.info', {})) as { sessions: SessionInfo[] };
        return result(
          { sessions: sessions.map(sessionInfoOut) },
          sessions.map(sessionText).join('\n') || 'no sessions',
        );
      }
      const now = await watch.info(args.session);
      if (!now) throw new ToolError(`no session ${args.session}; boot one with the boot tool`, 'session');
      const info = args.wait ? ((await watch.untilSettled(now.id, waitOptions(args, extra))) ?? now) : now;
      return result({ sessions: [sessionInfoOut(info)] }, sessionText(info));
    },
  );

  server.registerTool(
    'stop',
    {
      title: 'Stop a guest',
      description:
        'Stops the guest (QEMU quits, its runtime folder and throw-away NVDIMM files go). Its timeline stays ' +
        'readable: compare, explain, kernel_log and export_report still answer.',
      inputSchema: { session: SessionIdSchema },
      outputSchema: SessionInfoSchema.shape,
      annotations: { ...GUEST, destructiveHint: true, idempotentHint: true },
    },
    async ({ session }) => {
      const info = value(await backend.call('vm.stop', { session })) as SessionInfo;
      return result(sessionInfoOut(info), sessionText(info));
    },
  );

  server.registerTool(
    'step',
    {
      title: 'Run a step',
      description:
        'One step of the action vocabulary in a ready session, on the guest and on the model: a console line ' +
        '({ run: "ndctl create-namespace -m devdax" }), a QMP command of the memory vocabulary ({ qmp: { execute: ' +
        '"device_add", arguments: {...} } }; anything else is refused before QEMU sees it) or a model-only line. ' +
        "Answers with the step's timeline entry: each side's exit status and output, the fidelity by dimension " +
        '(iomem, blocks, exit, output, buses, nodes, log) and the rows that differ.',
      inputSchema: { session: SessionIdSchema, step: StepInputSchema },
      outputSchema: EntrySummarySchema.shape,
      annotations: GUEST,
    },
    async ({ session, step }) => {
      const entry = value(await backend.act(session, step, 'agent'));
      const s = entrySummary(session, entry);
      return result(s, entryText(s));
    },
  );

  server.registerTool(
    'snapshot',
    {
      title: "The guest's state",
      description:
        "Reads the guest's memory state now (/proc/iomem, memory blocks, the nd, dax, virtio-mem and CXL " +
        'buses, NUMA nodes, the kernel messages since the previous snapshot) as a new timeline entry, compared ' +
        'with the model.',
      inputSchema: { session: SessionIdSchema },
      outputSchema: { ...EntrySummarySchema.shape, snapshot: SnapshotSchema.optional() },
      annotations: GUEST,
    },
    async ({ session }) => {
      const entry = value(await backend.call('session.snapshot', { session })) as TimelineEntry;
      const s = entrySummary(session, entry);
      const real = entry.real?.snapshot;
      const counts = real
        ? `\n${real.memoryBlocks.length} memory blocks, ${real.nd.regions.length} nd regions, ` +
          `${real.nd.namespaces.length} namespaces, ${real.dax.devices.length} dax devices, ` +
          `${real.numa.nodes.length} NUMA nodes`
        : '';
      return result({ ...s, ...(real ? { snapshot: snapshotOut(real) } : {}) }, entryText(s) + counts);
    },
  );
}
