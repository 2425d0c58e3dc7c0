import type { VcsNotify } from "@gantry/contract";
import type { z } from "zod";
import type { VcsEvent } from "./github/events.js";

const ZERO = /^0+$/;

/** A post-receive line (`old new ref`) as a push event; an all-zero sha creates or deletes the ref. */
export function pushFromNotify(n: z.output<typeof VcsNotify>): VcsEvent {
  return {
    kind: "push",
    repository: n.repository,
    branch: n.ref.startsWith("refs/heads/") ? n.ref.slice("refs/heads/".length) : null,
    tag: n.ref.startsWith("refs/tags/") ? n.ref.slice("refs/tags/".length) : null,
    before: ZERO.test(n.before) ? null : n.before,
    after: ZERO.test(n.after) ? null : n.after,
    forced: false,
    message: "",
    author: "",
  };
}
