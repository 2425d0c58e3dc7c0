/** A queued run as the scheduler sees it. */
export interface QueuedRun {
  id: string;
  blocking: boolean;
  /** APPROVAL policies hold it in QUEUED until they approve (see `approval.ts`). */
  awaitingApproval?: boolean;
  /** An upstream stack has a blocking run in progress (see `dependencies/gate.ts`): held like a run awaiting approval. */
  waitingForDependencies?: boolean;
}

/**
 * Which queued runs of one stack become READY: every proposed run (they run side by side), and
 * the oldest blocking run only when no blocking run of the stack is active, since blocking runs
 * take the stack's exclusive lock one at a time, first in first out. A run held for approval is
 * never promoted, nor is one waiting for its dependencies; a held blocking run keeps its place at the head of the blocking line (the runs
 * behind it wait: letting them pass would apply newer commits before an older one), while
 * proposed runs behind it go on. Pure, so it is table-tested.
 *
 * @param queued the stack's QUEUED runs, oldest first
 * @param blockingActive whether a blocking run of the stack is past QUEUED and not yet terminal
 * @example
 * runsToPromote([{ id: "a", blocking: true }, { id: "b", blocking: false }], true); // ["b"]
 */
export function runsToPromote(queued: readonly QueuedRun[], blockingActive: boolean): string[] {
  const out: string[] = [];
  let lockFree = !blockingActive;
  for (const r of queued) {
    const held = r.awaitingApproval || r.waitingForDependencies;
    if (!r.blocking) {
      if (!held) out.push(r.id);
    } else if (lockFree) {
      if (!held) out.push(r.id);
      lockFree = false;
    }
  }
  return out;
}
