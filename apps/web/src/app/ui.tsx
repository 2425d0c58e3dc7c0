import { GantryApiError } from "@gantry/contract/browser";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";

/** A run or stack state as a coloured badge; the colour only repeats what the text says. */
export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${stateTone(state)}`}>{state}</span>;
}

export function stateTone(state: string): "ok" | "bad" | "wait" | "busy" | "idle" {
  if (state === "FINISHED") return "ok";
  if (["FAILED", "STOPPED", "CANCELED", "DISCARDED"].includes(state)) return "bad";
  if (["UNCONFIRMED", "PENDING_REVIEW", "QUEUED"].includes(state)) return "wait";
  if (["NONE", "SKIPPED"].includes(state)) return "idle";
  return "busy";
}

// One formatter each, made once: `toLocaleString()` builds a new one per call, which made a
// page of 100 stacks spend longer formatting dates than rendering.
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

/** "3 min ago" (or "in 3 min" for a time to come), with the exact time on hover and for screen readers. */
export function TimeAgo({ at }: { at: string | null | undefined }) {
  if (!at) return <span>—</span>;
  const when = Date.parse(at);
  const diff = Math.round((Date.now() - when) / 1000);
  const s = Math.abs(diff);
  const span = s < 60 ? `${s} s` : s < 3600 ? `${Math.round(s / 60)} min` : s < 86_400 ? `${Math.round(s / 3600)} h` : null;
  const text = span === null ? dateFormat.format(when) : diff >= 0 ? `${span} ago` : `in ${span}`;
  return <time dateTime={at} title={dateTimeFormat.format(when)}>{text}</time>;
}

/** What went wrong, as the API said it; a 404 says the thing does not exist. */
export function ErrorBox({ error }: { error: unknown }) {
  if (error instanceof GantryApiError && error.status === 404) {
    return (
      <section role="alert" className="error">
        <h1>Not found</h1>
        <p>{error.message}</p>
        <p><Link to="/">Go to the overview</Link></p>
      </section>
    );
  }
  return <p role="alert" className="error">{error instanceof Error ? error.message : String(error)}</p>;
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" role="status">Loading {what}…</p>;
}

/** A labelled group of key facts (a description list). */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Labels({ labels }: { labels: string[] }) {
  if (labels.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="labels" aria-label="labels">
      {labels.map((l) => <li key={l}>{l}</li>)}
    </ul>
  );
}
