const ADD_MASK = "::add-mask::";
const MASK = "*****";
/** Secret fragments shorter than this are not masked: masking "a" would shred every log. */
const MIN_SECRET = 3;

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

  /** Adds a value to mask from now on. */
  add(value: string): void {
    for (const line of value.split(/\r?\n/)) {
      const s = line.trim();
      if (s.length >= MIN_SECRET && !this.secrets.includes(s)) this.secrets.push(s);
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
