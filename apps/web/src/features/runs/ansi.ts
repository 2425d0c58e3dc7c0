/** A piece of a log line with the colour and weight its ANSI escape codes gave it. */
export interface Span {
  text: string;
  color?: string;
  bold?: boolean;
}

/** An escape sequence (ESC [ params letter); built from a string to keep the control byte visible. */
const ESCAPE = "\u001b\\[([0-9;]*)([A-Za-z])";

const palette = ["#6e7681", "#ff7b72", "#7ee787", "#e3b341", "#79c0ff", "#d2a8ff", "#56d4dd", "#e6edf3"];
const bright = ["#8b949e", "#ffa198", "#aff5b4", "#f8e3a1", "#a5d6ff", "#e2c5ff", "#b3f0ff", "#ffffff"];

/**
 * Splits a line into spans by its SGR escape codes (terraform colours its output): colours
 * 30–37 and 90–97, bold, and resets. Other escape sequences are dropped, never shown raw.
 */
export function ansiSpans(line: string): Span[] {
  const spans: Span[] = [];
  let color: string | undefined;
  let bold = false;
  const re = new RegExp(ESCAPE, "g");
  let at = 0;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m.index > at) spans.push({ text: line.slice(at, m.index), color, bold });
    at = m.index + m[0].length;
    if (m[2] !== "m") continue;
    for (const code of (m[1] || "0").split(";").map(Number)) {
      if (code === 0) {
        color = undefined;
        bold = false;
      } else if (code === 1) bold = true;
      else if (code === 22) bold = false;
      else if (code === 39) color = undefined;
      else if (code >= 30 && code <= 37) color = palette[code - 30];
      else if (code >= 90 && code <= 97) color = bright[code - 90];
    }
  }
  if (at < line.length) spans.push({ text: line.slice(at), color, bold });
  return spans;
}

/** The text of a line without its escape codes (for search). */
export function plain(line: string): string {
  return line.replace(new RegExp(ESCAPE, "g"), "");
}
