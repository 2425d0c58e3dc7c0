/** What the notification subsystem reports to `/metrics` (see `metrics/registry.ts`). */
export interface NotificationMetrics {
  /** An event was fanned out `createdAt` ago into `deliveries` outward messages. */
  eventFannedOut(createdAt: string, deliveries: number): void;
  /** One attempt ended: `outcome` is delivered, retry or failed (out of attempts). */
  deliveryAttempt(targetKind: string, outcome: "delivered" | "retry" | "failed", durationMs: number): void;
  /** A delivery reached its receiver; `eventAt` is when the event it carries happened. */
  delivered(targetKind: string, eventAt: string): void;
  /** A policy was evaluated. */
  policyEvaluated(type: string, outcome: string, ms: number): void;
  /** A run left `state` after `ms` (every transition passes through the outbox). */
  runLeftState(state: string, ms: number): void;
}
