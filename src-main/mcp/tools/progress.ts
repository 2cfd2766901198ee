// Waiting for a guest inside a request: the request's cancellation ends the wait, and when the client gave a
// progressToken each boot phase is a progress notification (progress: the phase's place among the six).
import { setTimeout as delay } from 'node:timers/promises';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { SessionInfo } from '../../../src-shared/api/contract';
import { BOOT_PHASES, type WaitOptions } from '../session-watch';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const DEFAULT_WAIT_S = 300;

/**
 * The SDK's client handles a notification a microtask after it reads it but an answer at once, so a progress
 * notification read in the same chunk as the answer finds its request gone and is reported as an error: each
 * one is given this long on its own before the tool may answer.
 */
const PROGRESS_GAP_MS = 25;

/**
 * A progress notification for the request, when it carries a token; nothing otherwise. Resolves once sent and a
 * moment after, so that a tool awaiting it answers in a later read than the notification.
 */
export function progressSender(extra: Extra): (progress: number, total: number, message: string) => Promise<void> {
  const progressToken = extra._meta?.progressToken;
  return async (progress, total, message) => {
    if (progressToken === undefined) return;
    await extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total, message } })
      .catch(() => undefined); // the client went away: its guests are being stopped
    await delay(PROGRESS_GAP_MS);
  };
}

/** "qemu", "ready (restored from its checkpoint)": the phase and, once ready, how the guest came up. */
const phaseMessage = (s: SessionInfo): string =>
  s.phase !== 'ready'
    ? s.phase
    : `ready in ${s.readyMs} ms (${s.boot?.from === 'checkpoint' ? 'restored from its checkpoint' : 'cold boot'})`;

/** Waiting for a boot within the request; its phases are progress 1 to 6 of `total` (a scenario's steps follow). */
export function waitOptions(
  args: { timeoutSeconds?: number | undefined },
  extra: Extra,
  total: number = BOOT_PHASES.length,
): WaitOptions {
  const send = progressSender(extra);
  let sent = 0;
  return {
    timeoutMs: (args.timeoutSeconds ?? DEFAULT_WAIT_S) * 1000,
    signal: extra.signal,
    onPhase: (s) => {
      // progress only grows: a phase the boot skipped (a restore has no firmware) or went back to is not told
      const at = BOOT_PHASES.indexOf(s.phase as (typeof BOOT_PHASES)[number]) + 1;
      if (at <= sent) return;
      sent = at;
      return send(at, total, phaseMessage(s));
    },
  };
}
