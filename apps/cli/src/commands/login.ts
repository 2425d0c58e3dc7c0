import { GantryClient } from "@gantry/contract";
import type { Command } from "commander";
import { usageError } from "../errors.js";
import { defaultProfileName, profilesPath, readProfiles, removeProfile, saveProfile, type Profile } from "../profile.js";
import { globalOptions, session, type Runtime } from "../runtime.js";
import { printJson } from "../output.js";
import { readPassword } from "./password.js";

interface LoginFlags {
  url: string;
  apiKey?: string;
  username?: string;
}

/**
 * `gantry login`: checks the credential against the server (`/me`) before saving it, so a typo
 * is caught now rather than on the next command. With a username, the session token is saved,
 * never the password.
 */
export function loginCommand(rt: Runtime, program: Command): void {
  program
    .command("login")
    .description("save a server URL and credential as a profile (see --profile)")
    .requiredOption("--url <url>", "server URL, e.g. http://127.0.0.1:4810")
    .option("--api-key <key>", "an API key (gnt_...)")
    .option("--username <name>", "log in with a local account; the password is prompted for (or GANTRY_PASSWORD)")
    .action(async (o: LoginFlags, cmd: Command) => {
      if (Boolean(o.apiKey) === Boolean(o.username)) throw usageError("give exactly one of --api-key or --username");
      const g = globalOptions(cmd);
      const name = g.profile ?? defaultProfileName;
      let profile: Profile;
      if (o.apiKey) {
        const me = await new GantryClient({ baseUrl: o.url, token: o.apiKey }).call("me", {});
        profile = { url: o.url, token: o.apiKey, kind: "api-key", user: me.name };
      } else {
        const password = await readPassword(rt);
        const s = await new GantryClient({ baseUrl: o.url }).call("login", { body: { username: o.username ?? "", password } });
        profile = { url: o.url, token: s.token, kind: "session", user: s.user.username, expiresAt: s.expiresAt };
      }
      const path = profilesPath(rt.env);
      saveProfile(path, name, profile);
      if (g.output === "json") return printJson(rt, { profile: name, url: profile.url, user: profile.user, kind: profile.kind, expiresAt: profile.expiresAt ?? null });
      rt.out(`logged in to ${profile.url} as ${profile.user}; saved as profile ${name} in ${path}`);
    });

  program
    .command("logout")
    .description("forget a saved profile (and end its session, if it is one)")
    .action(async (_o, cmd: Command) => {
      const g = globalOptions(cmd);
      const path = profilesPath(rt.env);
      const file = readProfiles(path);
      const name = g.profile ?? file.current;
      const saved = file.profiles[name];
      if (!saved) throw usageError(`no profile named ${JSON.stringify(name)} in ${path}`);
      // Ending the session is a courtesy; the profile is forgotten even if the server is gone.
      if (saved.kind === "session") await new GantryClient({ baseUrl: saved.url, token: saved.token }).call("logout", {}).catch(() => undefined);
      removeProfile(path, name);
      rt.out(`logged out: profile ${name} removed`);
    });

  program
    .command("whoami")
    .description("who the server sees you as, and your roles")
    .action(async (_o, cmd: Command) => {
      const s = session(rt, cmd);
      const me = await s.api.call("me", {});
      if (s.format === "json") return printJson(s.p, me);
      s.p.out(`${me.kind} ${me.name} (${me.id}) at ${s.conn.url}, from ${s.conn.source}`);
      for (const r of me.roles) s.p.out(`  ${r.role} on ${r.spaceId}${r.source ? ` (${r.source})` : ""}`);
      if (me.teams?.length) s.p.out(`  teams: ${me.teams.join(", ")}`);
    });
}
