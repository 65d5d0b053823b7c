import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';
import { AppError } from '../errors';
import { CONSOLE_PREFIX } from '../http/consolePath';
import { PROJECT_ROOT } from '../projectRoot';

/** Where `npm run build` puts the console's files (packages/console, built by vite). */
export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'packages', 'console', 'dist');

/**
 * The page may load and fetch from this origin only: no inline script or style, no framing, no
 * plugins. Nothing is fetched from elsewhere, so the console works without a network.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ALLOWED = 'GET, HEAD, OPTIONS';

function safeHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': CONSOLE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
}

/**
 * The web console at /console: its built files, and index.html for every other GET under /console
 * (the app's own routes, such as /console/realms/acme). A missing file under /console/assets/ is a
 * 404, not the page. Turned off, everything under /console is a 404. The console talks to the API
 * with the token its user signs in with; serving it grants nothing.
 */
export function consoleRoutes(enabled: boolean, dir: string = CONSOLE_DIR): Router {
  const router = Router();
  if (!enabled) {
    router.use(CONSOLE_PREFIX, (_req, _res, next) => next(new AppError(404, 'not_found', 'the console is turned off (REALMGATE_CONSOLE=false)')));
    return router;
  }
  const index = path.join(dir, 'index.html');
  const assets = express.static(path.join(dir, 'assets'), {
    index: false,
    fallthrough: true,
    redirect: false,
    dotfiles: 'ignore',
    acceptRanges: false,
    // file names carry a hash of their content
    immutable: true,
    maxAge: '365d',
    setHeaders: (res) => safeHeaders(res),
  });
  router.use(CONSOLE_PREFIX, (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // as on the API's paths: OPTIONS says what is allowed, any other method is a 405 saying the same
      res.set('Allow', ALLOWED);
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      return next(new AppError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.originalUrl.split('?')[0]}; allowed: ${ALLOWED}`));
    }
    if (req.path.startsWith('/assets/')) {
      req.url = req.url.slice('/assets'.length);
      // whole files only, each named for its content: preconditions and ranges would only turn into errors
      for (const header of ['if-match', 'if-unmodified-since', 'range', 'if-range']) delete req.headers[header];
      return assets(req, res, () => next(new AppError(404, 'not_found', `no console file at ${req.originalUrl.split('?')[0]}`)));
    }
    let page: Buffer;
    try {
      page = fs.readFileSync(index);
    } catch {
      return next(new AppError(404, 'not_found', 'the console is not built (npm run build)'));
    }
    safeHeaders(res);
    res.set('Cache-Control', 'no-cache');
    res.type('html').send(page);
  });
  return router;
}
