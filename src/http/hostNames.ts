import net from 'node:net';

/** A DNS name by RFC 1123: dot-separated labels of letters, digits and inner hyphens. */
const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

/** An IP address (v4 or v6, without brackets) or a hostname. */
export function isHostName(value: string): boolean {
  return net.isIP(value) !== 0 || HOSTNAME.test(value);
}

/** The names that always mean this machine: what a browser sends for a loopback listener. */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** Whether a listen address (HOST) reaches this machine only: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name === '::1') return true;
  return net.isIPv4(name) && name.startsWith('127.');
}

/**
 * The host name of a Host header, lower case, without port or brackets: "[::1]:8181" -> "::1",
 * "Example.com:80" -> "example.com". undefined when it is not a host name at all.
 */
export function hostOfHeader(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return net.isIPv6(bracketed[1]) ? bracketed[1] : undefined;
  const plain = /^([^:]+)(?::\d{1,5})?$/.exec(value);
  if (!plain) return undefined;
  const name = plain[1].replace(/\.$/, '');
  return isHostName(name) ? name : undefined;
}

/**
 * The Host header names a listener on `host` accepts. On loopback: the loopback names and
 * REALMGATE_ALLOWED_HOSTS. Elsewhere: REALMGATE_ALLOWED_HOSTS and the loopback names when the list
 * is set; any name when it is not (clients reach such a listener by whatever name the network
 * gives it, and checks there need a token or an explicit REALMGATE_ALLOW_OPEN_CHECKS).
 */
export function acceptedHostNames(host: string, allowedHosts: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (!isLoopbackHost(host) && allowedHosts === undefined) return undefined;
  return new Set([...LOOPBACK_NAMES, ...(allowedHosts ?? []).map((name) => name.toLowerCase().replace(/\.$/, ''))]);
}
