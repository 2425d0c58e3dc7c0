/** A queued run as the scheduler sees it. */
export interface QueuedRun {
  id: string;
  blocking: boolean;
}

/**
 * Which queued runs of one stack become READY: every proposed run (they run side by side), and
 * the oldest blocking run only when no blocking run of the stack is active, since blocking runs
 * take the stack's exclusive lock one at a time, first in first out. Pure, so it is table-tested.
 *
 * @param queued the stack's QUEUED runs, oldest first
 * @param blockingActive whether a blocking run of the stack is past QUEUED and not yet terminal
 */
export function runsToPromote(queued: readonly QueuedRun[], blockingActive: boolean): string[] {
  const out: string[] = [];
  let lockFree = !blockingActive;
  for (const r of queued) {
    if (!r.blocking) out.push(r.id);
    else if (lockFree) {
      out.push(r.id);
      lockFree = false;
    }
  }
  return out;
}
