import { compile, RegoError } from "@gantry/rego";

export type RegoVersionName = "V0" | "V1";

/** The Rego version a policy is stored with, and why when Gantry chose it rather than the caller. */
export interface RegoVersionChoice {
  regoVersion: RegoVersionName;
  warnings: string[];
}

/** What compiling the policy (and its tests, which share its version) as one version gave. */
type Outcome = "compiles" | "semantic_error" | "parse_error";

function compileAs(policy: DetectedPolicy, regoVersion: RegoVersionName): Outcome {
  const v = regoVersion === "V0" ? 0 : 1;
  const modules = [{ file: policy.file, source: policy.body, regoVersion: v as 0 | 1 }];
  if (policy.tests) modules.push({ file: policy.file.replace(/\.rego$/, "_test.rego"), source: policy.tests, regoVersion: v });
  try {
    compile({ modules, sanitized: policy.type === "PLAN" });
    return "compiles";
  } catch (err) {
    if (err instanceof RegoError && err.errors.every((e) => e.code !== "rego_parse_error")) return "semantic_error";
    return "parse_error";
  }
}

export interface DetectedPolicy {
  body: string;
  /** The policy's Rego tests, empty when none: they are written in the same version as the body. */
  tests: string;
  file: string;
  type: string;
}

/**
 * Picks the Rego version of a policy saved without one. Spacelift's older policies are Rego v0
 * (`deny[msg] { ... }`) and carry no version, so a body that does not compile as the preferred
 * version but does as the other is stored as the other, with a warning saying so; refusing it
 * would make every Spacelift repository a rewrite. A body that parses only as the other version
 * but has an error there (an unsafe variable) is checked as that version, so the error the
 * caller sees is the real one and not "`if` keyword is required". An explicit version is never
 * second-guessed.
 */
export function chooseRegoVersion(policy: DetectedPolicy, explicit: RegoVersionName | undefined, preferred: RegoVersionName): RegoVersionChoice {
  if (explicit) return { regoVersion: explicit, warnings: [] };
  const asPreferred = compileAs(policy, preferred);
  if (asPreferred === "compiles") return { regoVersion: preferred, warnings: [] };
  const other: RegoVersionName = preferred === "V1" ? "V0" : "V1";
  const asOther = compileAs(policy, other);
  if (asOther === "parse_error" || (asOther === "semantic_error" && asPreferred === "semantic_error")) return { regoVersion: preferred, warnings: [] };
  const how = other === "V0"
    ? "it is Rego v0 syntax (as Spacelift's older policies): it runs unchanged; to say so explicitly set regoVersion \"V0\" (rego_version = \"V0\" in Terraform, --rego-version V0 in the CLI), or move it to v1 with `import rego.v1` and the `if`/`contains` keywords"
    : "it is Rego v1 syntax: set regoVersion \"V1\" to say so explicitly";
  return { regoVersion: other, warnings: [`${policy.file}: no regoVersion was given and the policy does not compile as ${preferred}, so it is stored as ${other}: ${how}`] };
}
