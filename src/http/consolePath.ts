/** Where the web console is served: this prefix, and every path under it. */
export const CONSOLE_PREFIX = '/console';

/** `/console`, `/console/...` or `/console?...`, never `/consoles`. */
export function isConsoleUrl(url: string): boolean {
  if (!url.startsWith(CONSOLE_PREFIX)) return false;
  const after = url.charCodeAt(CONSOLE_PREFIX.length);
  return Number.isNaN(after) || after === 47 || after === 63;
}
