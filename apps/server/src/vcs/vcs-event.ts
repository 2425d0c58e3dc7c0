import type { VcsEvent } from "./github/events.js";

/** Where an event came from: a GitHub webhook, a git hook calling `notify`, or the poller. */
export type VcsEventSource = "github" | "notify" | "poller";

/**
 * A VCS event on its way into {@link ingestVcsEvent}: what happened, who told us and through
 * which integration. For GitHub `event.repository` is `owner/name`; for the other sources it is
 * the repository exactly as stacks name it (URL or path).
 */
export interface IngestEvent {
  source: VcsEventSource;
  integrationId: string | null;
  event: VcsEvent;
}

export type { VcsEvent };
