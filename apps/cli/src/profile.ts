import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { usageError } from "./errors.js";

/** One saved server connection. `token` is an API key or a session token (then `expiresAt` is set). */
export interface Profile {
  url: string;
  token: string;
  kind: "api-key" | "session";
  /** Who logged in, for `gantry whoami` without a round trip and for people reading the file. */
  user?: string;
  expiresAt?: string;
}

/** The profiles file: named connections plus the one used when `--profile` is not given. */
export interface ProfilesFile {
  current: string;
  profiles: Record<string, Profile>;
}

export const defaultProfileName = "default";

/** `${XDG_CONFIG_HOME:-~/.config}/gantry/profiles.json`. */
export function profilesPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(base, "gantry", "profiles.json");
}

/** Reads the profiles file; a missing file is an empty one. */
export function readProfiles(path: string): ProfilesFile {
  if (!existsSync(path)) return { current: defaultProfileName, profiles: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<ProfilesFile>;
    return { current: parsed.current ?? defaultProfileName, profiles: parsed.profiles ?? {} };
  } catch (err) {
    throw usageError(`cannot read the profiles file ${path}: ${(err as Error).message}; fix or delete it and run gantry login again`);
  }
}

/**
 * Writes the profiles file readable by its owner only, since it holds credentials: written to a
 * temporary file with mode 0600 first, so the secret is never briefly world-readable.
 */
export function writeProfiles(path: string, file: ProfilesFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Saves `profile` under `name` and makes it the current one. */
export function saveProfile(path: string, name: string, profile: Profile): void {
  const file = readProfiles(path);
  file.profiles[name] = profile;
  file.current = name;
  writeProfiles(path, file);
}

/** Removes a profile; answers whether it existed. */
export function removeProfile(path: string, name: string): boolean {
  const file = readProfiles(path);
  if (!file.profiles[name]) return false;
  delete file.profiles[name];
  if (file.current === name) file.current = Object.keys(file.profiles)[0] ?? defaultProfileName;
  writeProfiles(path, file);
  return true;
}
