// Saving a file the API produced. A plain link to the API cannot carry the bearer token, so the
// file is fetched with it and handed to the browser as a blob: URL. That URL is made here from our
// own fetch, never from page data, which is why this is the one href not built through render.ts.

export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the blob after this task, and some (Firefox) fail a download whose URL is
  // revoked at once; a minute is long enough, and the blob is freed when the tab closes anyway.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
