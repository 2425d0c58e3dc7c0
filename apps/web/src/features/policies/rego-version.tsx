import type { Policy } from "@gantry/contract";
import { SelectField } from "../../app/forms.js";

/** The Rego version a person picks for a body: "" lets the server detect it, as the API does when it is omitted. */
export type RegoVersionChoice = "" | Policy["regoVersion"];

const OPTIONS: { value: RegoVersionChoice; label: string }[] = [
  { value: "", label: "Detect (default)" },
  { value: "V1", label: "Rego v1" },
  { value: "V0", label: "Rego v0 (Spacelift's older syntax)" },
];

/** What the request sends: nothing for "detect", so the server's detection (and its warning) applies. */
export function regoVersionParam(choice: RegoVersionChoice): Policy["regoVersion"] | undefined {
  return choice === "" ? undefined : choice;
}

export function regoVersionLabel(v: Policy["regoVersion"]): string {
  return v === "V0" ? "Rego v0" : "Rego v1";
}

/** The Rego version choice, with the server's refusal of it shown at the field. */
export function RegoVersionField({ value, onChange, error, idPrefix, detectsFrom }: { value: RegoVersionChoice; onChange: (v: RegoVersionChoice) => void; error: unknown; idPrefix?: string; detectsFrom: string }) {
  return (
    <SelectField name="regoVersion" label="Rego version" idPrefix={idPrefix} value={value} onChange={(v) => onChange(v as RegoVersionChoice)} error={error} options={OPTIONS}
      hint={`Detect tries ${detectsFrom} first and takes the other version (with a warning) for a body that compiles only as that one`} />
  );
}

/** What the server decided for the person on a save (e.g. a body stored as Rego v0), shown after it. */
export function PolicyWarnings({ warnings, heading }: { warnings: string[] | undefined; heading: string }) {
  if (!warnings || warnings.length === 0) return null;
  return (
    <div role="status" className="warning" aria-label="warnings from the server">
      <p><strong>{heading}</strong></p>
      <ul>{warnings.map((w) => <li key={w}>{w}</li>)}</ul>
    </div>
  );
}
