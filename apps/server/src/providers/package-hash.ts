import { createHash } from "node:crypto";
import { unzipSync } from "fflate";

/**
 * Terraform's `h1:` hash of a provider package (Go's dirhash "Hash1"): the SHA-256 of a summary
 * listing `<sha256 hex>  <name>\n` for every file, sorted by name. Terraform computes it over the
 * unpacked directory, so directory entries of the zip are left out, and writes it into lock files.
 * Throws when the bytes are not a zip.
 */
export function packageHashH1(files: Record<string, Uint8Array>): string {
  const names = Object.keys(files).filter((n) => !n.endsWith("/")).sort();
  const summary = names.map((n) => `${createHash("sha256").update(files[n]!).digest("hex")}  ${n}\n`).join("");
  return `h1:${createHash("sha256").update(summary).digest("base64")}`;
}

/** The files of a zip, or the reason it cannot be read. */
export function readZip(data: Uint8Array): Record<string, Uint8Array> | { refused: string } {
  try {
    return unzipSync(data);
  } catch (err) {
    return { refused: `is not a readable zip archive (${(err as Error).message})` };
  }
}

/** `<sha256>  <filename>` lines of a SHA256SUMS file (`shasum -a 256` / `sha256sum` output; `*` marks binary mode). */
export function parseShasums(text: string): Map<string, string> | { refused: string; line: number } {
  const out = new Map<string, string>();
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") continue;
    const m = /^([0-9a-fA-F]{64}) [ *](\S.*)$/.exec(line);
    if (!m) return { refused: "is not a `<sha256>  <filename>` line", line: i + 1 };
    out.set(m[2]!, m[1]!.toLowerCase());
  }
  if (out.size === 0) return { refused: "lists no files", line: 1 };
  return out;
}
