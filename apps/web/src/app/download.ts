/**
 * Hands text to the browser as a downloaded file. The content goes through a short-lived
 * object URL (a `blob:` address naming it, not holding it), never a `data:` URL or a query
 * string, so a state's secrets do not land in the address bar, history or server logs; the
 * URL is revoked once the download has started.
 */
export function saveAsFile(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Chromium and Firefox read the blob asynchronously after the click: revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/** A byte count as people read it: 512 B, 3 KiB, 1.2 MiB. */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
