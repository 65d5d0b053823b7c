import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors';
import { hostOfHeader } from './hostNames';

/**
 * Refuses a request whose Host header names another host than this listener answers to (421),
 * before anything else runs. A page in a browser on the same machine can make a name it controls
 * resolve to 127.0.0.1 (DNS rebinding) and reach a loopback listener, but its requests still carry
 * that name, so they stop here. `allowed` undefined accepts any Host. Requests over the Unix
 * socket are exempt: no browser reaches it, and its Host header is whatever the client wrote.
 */
export function hostGuard(allowed: ReadonlySet<string> | undefined): RequestHandler {
  return (req, _res, next) => {
    if (hostAccepted(req, allowed)) return next();
    throw new AppError(421, 'misdirected_request', `this service does not answer for host '${String(req.headers.host).slice(0, 255)}'; see REALMGATE_ALLOWED_HOSTS`);
  };
}

/**
 * The Host guard of Envoy's ext_authz path. Envoy sends the end user's Host, which names the
 * proxy's public address, so any name is answered there; but a browser page that reached this
 * listener by DNS rebinding must have connected to this listener's own port, and says so in its
 * Host (a browser writes the port unless it is 80 for http). So a name that is not accepted, at
 * this listener's port, is a 421 here too: the page could otherwise set the subject header itself
 * and read allow/deny for anyone.
 */
export function extAuthzHostGuard(allowed: ReadonlySet<string> | undefined): RequestHandler {
  return (req, _res, next) => {
    if (allowed === undefined || viaUnixSocket(req.socket)) return next();
    const header = req.headers.host;
    if (header === undefined) return next();
    const host = hostOfHeader(header);
    if (host !== undefined && allowed.has(host)) return next();
    if (portOfHeader(header) !== req.socket.localPort) return next();
    throw new AppError(421, 'misdirected_request', `this service does not answer for host '${header.slice(0, 255)}' on its own port; see REALMGATE_ALLOWED_HOSTS`);
  };
}

/** The port a Host header names: its explicit port, else 80 (what a browser leaves out for http). */
function portOfHeader(header: string): number {
  const m = /:(\d{1,5})$/.exec(header.trim());
  return m && !/^\[[^\]]*$/.test(header.trim().slice(0, m.index)) ? Number(m[1]) : 80;
}

const PORT = /^:\d{1,5}$/;

/** The Host guard's test alone: whether a request may go on (see hostGuard). */
export function hostAccepted(req: IncomingMessage, allowed: ReadonlySet<string> | undefined): boolean {
  if (allowed === undefined || viaUnixSocket(req.socket)) return true;
  const header = req.headers.host;
  // HTTP/1.0 without a Host header: no browser sends that
  if (header === undefined) return true;
  // the usual header is an accepted name as is, or with a port: a set lookup, no parsing
  const colon = header.indexOf(':');
  if (colon < 0 ? allowed.has(header) : colon === header.lastIndexOf(':') && PORT.test(header.slice(colon)) && allowed.has(header.slice(0, colon))) return true;
  const host = hostOfHeader(header);
  return host !== undefined && allowed.has(host);
}

/** A connection over a Unix domain socket has neither a local port nor a remote address. */
function viaUnixSocket(socket: { localPort?: number; remoteAddress?: string }): boolean {
  return socket.localPort === undefined && socket.remoteAddress === undefined;
}
