import { GantryApiError, type GantryClient } from "@gantry/contract";
import { CliError } from "../errors.js";

/**
 * People name users by username and teams by name, the API by id: accept either. An id is
 * tried first, so a username that happens to look like an id still resolves to that id.
 */
export async function userId(api: GantryClient, ref: string): Promise<string> {
  try {
    return (await api.call("getUser", { params: { id: ref } })).id;
  } catch (err) {
    if (!(err instanceof GantryApiError) || err.code !== "not_found") throw err;
  }
  const user = (await api.all("listUsers")).find((u) => u.username === ref);
  if (!user) throw new CliError("api", `no user with id or username ${JSON.stringify(ref)}: see gantry user list`);
  return user.id;
}

/** A team's id from its id or name. */
export async function teamId(api: GantryClient, ref: string): Promise<string> {
  const teams = (await api.call("listTeams", {})).items;
  const team = teams.find((t) => t.id === ref) ?? teams.find((t) => t.name === ref);
  if (!team) throw new CliError("api", `no team with id or name ${JSON.stringify(ref)}: see gantry team list`);
  return team.id;
}
