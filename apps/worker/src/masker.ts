const ADD_MASK = "::add-mask::";
const MASK = "*****";
/** Secret fragments shorter than this are not masked: masking "a" would shred every log. */
const MIN_SECRET = 3;

/**
 * The forms a value commonly takes in tool output: as is, base64 and base64url (padded, unpadded,
 * and the leading groups that do not depend on what follows the value when it is encoded with
 * more bytes after it), URL-encoded (`%20` and `+` for spaces) and JSON-escaped. A value encoded
 * from the middle of a larger input (base64 at an offset that is not a multiple of 3) or
 * transformed otherwise (hashed, compressed, reversed) cannot be recognised: see docs/runs.md.
 */
export function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, "utf8");
  const b64 = bytes.toString("base64");
  const b64url = bytes.toString("base64url");
  const aligned = Math.floor(bytes.length / 3) * 4;
  const forms = [
    value,
    b64,
    b64.replace(/=+$/, ""),
    b64url,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, "+"),
    JSON.stringify(value).slice(1, -1),
  ];
  // The stable prefix only when long enough not to match unrelated base64 by chance.
  if (aligned >= 8) forms.push(b64.slice(0, aligned), b64url.slice(0, aligned));
  return [...new Set(forms)];
}

/**
 * Masks secrets in a stream of output chunks. A secret may arrive split across chunks, so text
 * that could be the start of a secret (or of an `::add-mask::` command) is held back until the
 * next chunk shows whether it is; everything else is released at once for live streaming.
 * Multi-line secrets (mounted files) are masked line by line.
 *
 * @example
 * const m = new Masker(["hunter2"]);
 * m.push("pass: hun") + m.push("ter2\n") + m.flush(); // "pass: *****\n"
 */
export class Masker {
  private secrets: string[] = [];
  private pending = "";

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Adds a value to mask from now on: the value, each of its lines, and their encoded forms. */
  add(value: string): void {
    const pieces = new Set([value, ...value.split(/\r?\n/).map((l) => l.trim())]);
    for (const piece of pieces) {
      if (piece.length < MIN_SECRET) continue;
      for (const form of encodedForms(piece)) if (form.length >= MIN_SECRET && !this.secrets.includes(form)) this.secrets.push(form);
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** Takes a chunk; returns the text that is safe to show now. */
  push(chunk: string): string {
    this.pending += chunk;
    let out = "";
    const nl = this.pending.lastIndexOf("\n");
    if (nl >= 0) {
      out += this.maskLines(this.pending.slice(0, nl + 1));
      this.pending = this.pending.slice(nl + 1);
    }
    // A partial line starting like a command waits for its newline.
    if (ADD_MASK.startsWith(this.pending) || this.pending.startsWith(ADD_MASK)) return out;
    const masked = this.replace(this.pending);
    const hold = this.heldSuffix(masked);
    out += masked.slice(0, masked.length - hold);
    this.pending = masked.slice(masked.length - hold);
    return out;
  }

  /** Ends the stream: returns whatever was held back, masked. */
  flush(): string {
    const rest = this.pending;
    this.pending = "";
    return rest.startsWith(ADD_MASK) ? this.maskLines(rest) : this.replace(rest);
  }

  private maskLines(text: string): string {
    return text.replace(/^.*$/gm, (line) => {
      const cmd = line.indexOf(ADD_MASK);
      if (cmd === 0) {
        this.add(line.slice(ADD_MASK.length).replace(/\r$/, ""));
        return `${ADD_MASK}${MASK}`;
      }
      return this.replace(line);
    });
  }

  private replace(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of a secret. */
  private heldSuffix(text: string): number {
    let best = 0;
    for (const s of this.secrets) {
      for (let k = Math.min(s.length - 1, text.length); k > best; k--) {
        if (text.endsWith(s.slice(0, k))) {
          best = k;
          break;
        }
      }
    }
    return best;
  }
}
