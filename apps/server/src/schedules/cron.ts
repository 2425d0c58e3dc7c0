import { Cron } from "croner";
import { invalidField } from "../errors.js";

/**
 * Cron schedules, read with croner in a time zone. Every fire time is stored as UTC RFC 3339
 * text (`toISOString`), which sorts like the times it names.
 */

/** Checks the time zone and every expression; a bad one is refused naming its field and croner's message. */
export function checkCronSchedule(field: string, expressions: string[], timezone: string, timezoneField = "timezone"): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw invalidField([timezoneField], `unknown time zone ${JSON.stringify(timezone)}: use an IANA name such as UTC or Europe/Paris`);
  }
  expressions.forEach((expr, i) => {
    try {
      const next = new Cron(expr, { timezone, paused: true }).nextRun(new Date());
      if (!next) throw new Error("it never fires");
    } catch (err) {
      throw invalidField([field, i], `invalid cron expression ${JSON.stringify(expr)}: ${(err as Error).message}`);
    }
  });
}

/** The earliest time strictly after `after` at which any of the expressions fires. */
export function nextFireTime(expressions: string[], timezone: string, after: Date): Date {
  let best: Date | null = null;
  for (const expr of expressions) {
    const next = new Cron(expr, { timezone, paused: true }).nextRun(after);
    if (next && (!best || next < best)) best = next;
  }
  // A checked expression always fires again; this guards rows changed behind the API's back.
  if (!best) throw new Error(`cron schedule ${JSON.stringify(expressions)} never fires again`);
  return best;
}
