import { execFile } from "node:child_process";
import { posix } from "node:path";
import { promisify } from "node:util";
import { RUNTIME_CONFIG_PATH } from "@gantry/contract/runtime-config";
import { gitEnv } from "@gantry/git";
import { parse as parseYaml } from "yaml";
import { AppError } from "../errors.js";

const execFileAsync = promisify(execFile);

/** One test case of a module, as `tests` in its `.spacelift/config.yml` declares it (Spacelift's keys). */
export interface ModuleTestCase {
  name: string;
  /** The test's root module relative to the repository root (the config gives it relative to the module directory). */
  projectRoot: string;
  environment: Record<string, string>;
  /** A negative test passes when its run fails (Spacelift's `negative: true`). */
  negative: boolean;
}

/** The config file of a module directory, relative to the repository root. */
export const moduleConfigFile = (projectRoot: string): string => posix.normalize(posix.join(projectRoot || ".", RUNTIME_CONFIG_PATH));

/** Keys of a test case Gantry acts on; any other key is refused rather than ignored. */
const KNOWN = new Set(["name", "project_root", "environment", "negative"]);

function environmentOf(raw: unknown, where: string, file: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) throw refused(file, `${where}.environment must be a map of variable names to values`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw refused(file, `${where}.environment: ${JSON.stringify(k)} is not an environment variable name`);
    if (v !== null && typeof v === "object") throw refused(file, `${where}.environment.${k} must be a string, number or boolean`);
    out[k] = String(v ?? "");
  }
  return out;
}

const refused = (file: string, what: string) =>
  new AppError("invalid", `${file}: ${what}: fix the module's config file and publish again`, { issues: [{ path: ["tests"], message: what }] });

/**
 * The test cases of the module directory at a commit: `tests` in its config file, with
 * `test_defaults.environment` under each test's own. Settings Gantry does not act on are refused
 * with the key named, never silently ignored.
 *
 * @example
 * // modules/vpc/.spacelift/config.yml
 * // tests:
 * //   - name: basic
 * //     project_root: examples/basic
 * //     environment: { TF_VAR_name: test }
 * // -> [{ name: "basic", projectRoot: "modules/vpc/examples/basic", environment: {...}, negative: false }]
 */
export async function moduleTestCases(mirror: string, sha: string, projectRoot: string): Promise<ModuleTestCase[]> {
  const file = moduleConfigFile(projectRoot);
  const text = await execFileAsync("git", ["--git-dir", mirror, "show", "--end-of-options", `${sha}:${file}`], { env: gitEnv, encoding: "utf8" }).then((r) => r.stdout, () => null);
  if (text === null) return [];
  let doc: { tests?: unknown; test_defaults?: unknown } | null;
  try {
    doc = parseYaml(text) as typeof doc;
  } catch (err) {
    throw refused(file, `not valid YAML (${(err as Error).message.split("\n")[0]})`);
  }
  if (!doc || doc.tests === undefined || doc.tests === null) return [];
  if (!Array.isArray(doc.tests)) throw refused(file, "tests must be a list of test cases");
  const defaults = doc.test_defaults as Record<string, unknown> | undefined;
  for (const k of Object.keys(defaults ?? {})) {
    if (k !== "environment") throw refused(file, `test_defaults.${k} is not supported yet (only environment is)`);
  }
  const shared = environmentOf(defaults?.environment, "test_defaults", file);
  const names = new Set<string>();
  return doc.tests.map((raw: unknown, i) => {
    const where = `tests[${i}]`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw refused(file, `${where} must be a map with at least a name`);
    const t = raw as Record<string, unknown>;
    for (const k of Object.keys(t)) if (!KNOWN.has(k)) throw refused(file, `${where}.${k} is not supported yet (a test takes name, project_root, environment and negative)`);
    if (typeof t.name !== "string" || !t.name.trim()) throw refused(file, `${where}.name is required`);
    if (names.has(t.name)) throw refused(file, `${where}.name ${JSON.stringify(t.name)} is used by another test`);
    names.add(t.name);
    const rel = t.project_root === undefined || t.project_root === null ? "" : String(t.project_root);
    const joined = posix.normalize(posix.join(projectRoot || ".", rel));
    if (posix.isAbsolute(rel) || joined === ".." || joined.startsWith("../")) throw refused(file, `${where}.project_root ${JSON.stringify(rel)} leaves the repository`);
    if (t.negative !== undefined && typeof t.negative !== "boolean") throw refused(file, `${where}.negative must be true or false`);
    return { name: t.name, projectRoot: joined === "." ? "" : joined.replace(/\/+$/, ""), environment: { ...shared, ...environmentOf(t.environment, where, file) }, negative: t.negative === true };
  });
}
