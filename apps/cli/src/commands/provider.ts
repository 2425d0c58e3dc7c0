import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { Provider, ProviderNamespace, ProviderVersion } from "@gantry/contract";
import type { Command } from "commander";
import { usageError } from "../errors.js";
import { list, orDash, printDone, printJson, printList, printOne, yesNo, type Column } from "../output.js";
import { session, type Runtime } from "../runtime.js";

const providerColumns: Column<Provider>[] = [
  { header: "provider", value: (p) => `${p.namespace}/${p.type}` },
  { header: "latest", value: (p) => orDash(p.latestVersion) },
  { header: "versions", value: (p) => String(p.versions) },
  { header: "space", value: (p) => p.spaceId },
  { header: "source", value: (p) => p.source },
];
const versionColumns: Column<ProviderVersion>[] = [
  { header: "version", value: (v) => v.version },
  { header: "protocols", value: (v) => v.protocols.join(",") },
  { header: "platforms", value: (v) => v.platforms.map((p) => `${p.os}_${p.arch}`).join(" ") },
  { header: "signed by", value: (v) => v.keyId },
  { header: "yanked", value: (v) => yesNo(v.yanked) },
  { header: "published", value: (v) => v.createdAt },
];
const namespaceColumns: Column<ProviderNamespace>[] = [
  { header: "namespace", value: (n) => n.id },
  { header: "space", value: (n) => n.spaceId },
  { header: "shared with", value: (n) => list(n.sharedWith) },
  { header: "shipped", value: (n) => yesNo(n.shipped) },
  { header: "keys", value: (n) => list(n.keys.map((k) => k.keyId)) },
];

/** `<namespace>/<type>` as typed, or a usage error saying the form. */
function address(value: string): { id: string; type: string } {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(value);
  if (!m) throw usageError(`${JSON.stringify(value)} is not <namespace>/<type> (e.g. acme/widgets)`);
  return { id: m[1]!, type: m[2]! };
}

function readLocal(path: string, what: string): Buffer {
  if (!existsSync(path) || !statSync(path).isFile()) throw usageError(`${what} ${path} does not exist or is not a file`);
  return readFileSync(path);
}

/**
 * The files of a release directory as goreleaser (and HashiCorp's provider template) lays it out:
 * `terraform-provider-<type>_<version>_<os>_<arch>.zip`, `..._SHA256SUMS` (or `SHA256SUMS`) and
 * its `.sig`.
 */
function releaseDirectory(dir: string, type: string, version: string): { zips: string[]; shasums: string; signature: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`--dir ${dir} is not a directory`);
  const names = readdirSync(dir);
  const zips = names.filter((n) => n.startsWith(`terraform-provider-${type}_${version}_`) && n.endsWith(".zip")).map((n) => join(dir, n));
  const sums = [`terraform-provider-${type}_${version}_SHA256SUMS`, "SHA256SUMS"].find((n) => names.includes(n));
  if (zips.length === 0) throw usageError(`--dir ${dir} holds no terraform-provider-${type}_${version}_<os>_<arch>.zip: build the release first`);
  if (!sums) throw usageError(`--dir ${dir} holds no terraform-provider-${type}_${version}_SHA256SUMS (or SHA256SUMS): make it with sha256sum *.zip`);
  if (!names.includes(`${sums}.sig`)) throw usageError(`--dir ${dir} holds no ${sums}.sig: sign it with gpg --detach-sign ${sums}`);
  return { zips, shasums: join(dir, sums), signature: join(dir, `${sums}.sig`) };
}

/** `gantry provider ...`: the provider registry's namespaces, keys and versions. */
export function providerCommand(rt: Runtime, program: Command): void {
  const cmd = program.command("provider").description("manage the provider registry: namespaces, GPG keys, versions");

  cmd.command("list").description("list the providers you can read").action(async (_o, c: Command) => {
    const s = session(rt, c);
    printList(s.p, s.format, (await s.api.call("listProviders", {})).items, providerColumns, "no providers");
  });

  cmd.command("versions <provider>").description("list a provider's versions (<namespace>/<type>), newest first").action(async (value: string, _o, c: Command) => {
    const s = session(rt, c);
    printList(s.p, s.format, (await s.api.call("listProviderVersions", { params: address(value) })).items, versionColumns, "no versions");
  });

  cmd.command("publish <provider> <version>")
    .description("publish a version: each zip must match SHA256SUMS, and SHA256SUMS must be signed by a key registered for the namespace")
    .option("--zip <file...>", "a build, terraform-provider-<type>_<version>_<os>_<arch>.zip (repeat for each platform)")
    .option("--shasums <file>", "the SHA256SUMS file listing the zips")
    .option("--signature <file>", "the detached GPG signature of SHA256SUMS (binary or --armor)")
    .option("--dir <dir>", "a release directory holding the zips, <...>_SHA256SUMS and its .sig (instead of the three options)")
    .option("--protocol <version...>", "plugin protocol versions the builds speak (5.0, 6.0)", ["5.0"])
    .action(async (value: string, version: string, o: { zip?: string[]; shasums?: string; signature?: string; dir?: string; protocol: string[] }, c: Command) => {
      const s = session(rt, c);
      const a = address(value);
      if (o.dir && (o.zip || o.shasums || o.signature)) throw usageError("give either --dir or --zip/--shasums/--signature, not both");
      const files = o.dir ? releaseDirectory(o.dir, a.type, version) : { zips: o.zip ?? [], shasums: o.shasums ?? "", signature: o.signature ?? "" };
      if (!o.dir && (files.zips.length === 0 || !files.shasums || !files.signature)) throw usageError("publishing needs --zip (one or more), --shasums and --signature, or --dir with a release directory");
      const body = {
        version,
        protocols: o.protocol as ("5.0" | "6.0")[],
        shasums: readLocal(files.shasums, "SHA256SUMS file").toString("utf8"),
        shasumsSignature: readLocal(files.signature, "signature file").toString("base64"),
        archives: files.zips.map((z) => ({ filename: basename(z), contentBase64: readLocal(z, "zip").toString("base64") })),
      };
      const r = await s.api.call("publishProviderVersion", { params: a, body });
      if (s.format === "json") printJson(s.p, r);
      else s.p.out(`${r.alreadyPublished ? "already published" : "published"} ${a.id}/${a.type} ${r.version.version} (${r.version.platforms.map((p) => `${p.os}_${p.arch}`).join(", ")}), signed by ${r.version.keyId}`);
    });

  cmd.command("delete <provider> [version]").description("delete one version, or the provider with every version").action(async (value: string, version: string | undefined, _o, c: Command) => {
    const s = session(rt, c);
    const a = address(value);
    if (version) await s.api.call("deleteProviderVersion", { params: { ...a, version } });
    else await s.api.call("deleteProvider", { params: a });
    printDone(s.p, s.format, `${version ? `version ${version} of ` : ""}provider ${value} deleted`, { deleted: { kind: version ? "provider version" : "provider", id: value, ...(version ? { version } : {}) } });
  });

  for (const [name, yanked] of [["yank", true], ["unyank", false]] as const) {
    cmd.command(`${name} <provider> <version>`)
      .description(yanked ? "hide a version from terraform's version lists (lock files pinning it still install it)" : "offer a yanked version again")
      .action(async (value: string, version: string, _o, c: Command) => {
        const s = session(rt, c);
        const v = await s.api.call("updateProviderVersion", { params: { ...address(value), version }, body: { yanked } });
        printDone(s.p, s.format, `version ${version} of provider ${value} ${yanked ? "yanked: fresh constraints no longer pick it; lock files pinning it still install it" : "unyanked: offered to terraform again"}`, { version: v });
      });
  }

  const ns = cmd.command("namespace").description("provider namespaces: who owns them and which spaces' stacks may install their providers");
  ns.command("list").description("list the namespaces you can read").action(async (_o, c: Command) => {
    const s = session(rt, c);
    printList(s.p, s.format, await s.api.all("listProviderNamespaces"), namespaceColumns, "no provider namespaces");
  });
  ns.command("show <namespace>").description("show a namespace with its GPG keys").action(async (id: string, _o, c: Command) => {
    const s = session(rt, c);
    printOne(s.p, s.format, await s.api.call("getProviderNamespace", { params: { id } }), namespaceColumns);
  });
  ns.command("create <namespace>").description("register a namespace in a space (write on the space)")
    .option("--space <id>", "space id", "root")
    .option("--share-with <space...>", "further spaces whose stacks may install its providers")
    .action(async (id: string, o: { space: string; shareWith?: string[] }, c: Command) => {
      const s = session(rt, c);
      printOne(s.p, s.format, await s.api.call("createProviderNamespace", { body: { id, spaceId: o.space, sharedWith: o.shareWith ?? [] } }), namespaceColumns);
    });
  ns.command("delete <namespace>").description("delete an empty namespace").action(async (id: string, _o, c: Command) => {
    const s = session(rt, c);
    await s.api.call("deleteProviderNamespace", { params: { id } });
    printDone(s.p, s.format, `provider namespace ${id} deleted`, { deleted: { kind: "provider namespace", id } });
  });

  const key = cmd.command("key").description("GPG public keys that sign a namespace's SHA256SUMS");
  key.command("add <namespace>").description("register a public key (gpg --armor --export <key id> > key.asc)")
    .requiredOption("--file <file>", "the ASCII-armored public key")
    .action(async (id: string, o: { file: string }, c: Command) => {
      const s = session(rt, c);
      const k = await s.api.call("addProviderGpgKey", { params: { id }, body: { asciiArmor: readLocal(o.file, "key file").toString("utf8") } });
      printDone(s.p, s.format, `key ${k.keyId} registered for ${id}`, { key: k });
    });
  key.command("delete <namespace> <keyId>").description("remove a key (refused while a published version was signed with it)").action(async (id: string, keyId: string, _o, c: Command) => {
    const s = session(rt, c);
    await s.api.call("deleteProviderGpgKey", { params: { id, keyId } });
    printDone(s.p, s.format, `key ${keyId} removed from ${id}`, { deleted: { kind: "gpg key", id: keyId } });
  });
}
