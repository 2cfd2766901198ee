// A QMP step's answer as the guest runner records it for the ledger
// (src-main/guest/runner.ts): {"return": …} or {"error": {"class", "desc"}}.
// One reader for the comparison, the console and the action panel.
export type QmpReply = { return: unknown } | { error: { class?: string; desc?: string } };

/** The reply, or undefined when the output is not one (a console line's, or nothing). */
export function parseQmpReply(output: string | undefined): QmpReply | undefined {
  if (output === undefined) return undefined;
  try {
    const r = JSON.parse(output) as unknown;
    if (typeof r !== 'object' || r === null) return undefined;
    if ('return' in r) return r;
    if ('error' in r && typeof r.error === 'object' && r.error !== null) return r as QmpReply;
  } catch {
    // not JSON: not a QMP reply
  }
  return undefined;
}
