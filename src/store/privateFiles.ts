import fs from 'node:fs';
import path from 'node:path';

/**
 * Makes every directory under `root` 0700 and every file 0600 (symbolic links, sockets and
 * other special files are left alone, and links are not followed). PGlite lays out a new data folder from an archive whose files are world-writable,
 * and older folders may be, so this runs on every start-up.
 */
export function makePrivate(root: string): void {
  const visit = (p: string, stat: fs.Stats) => {
    // a Unix socket placed here keeps the mode it was given for its clients
    if (!stat.isDirectory() && !stat.isFile()) return;
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== wanted) fs.chmodSync(p, wanted);
    if (!stat.isDirectory()) return;
    for (const name of fs.readdirSync(p)) {
      const child = path.join(p, name);
      visit(child, fs.lstatSync(child));
    }
  };
  visit(root, fs.lstatSync(root));
}
