import dns from 'node:dns';
import net from 'node:net';

/**
 * Addresses inside the sidecar's own network: loopback, "this network", private ranges, carrier-grade
 * NAT, link-local (cloud metadata lives there), multicast and reserved, in IPv4 and IPv6 (IPv4-mapped
 * IPv6 addresses are checked as the IPv4 address they carry).
 */
const INTERNAL = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  // the unspecified address, loopback, and IPv4-compatible addresses (::a.b.c.d)
  ['::', 96],
  // NAT64's well-known prefix carries an IPv4 address, private ones included, to a gateway that connects to it
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b:1::', 48],
] as const) {
  INTERNAL.addSubnet(prefix, bits, 'ipv6');
}

export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  const family = net.isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family === 6) return INTERNAL.check(address, 'ipv6');
  return true;
}

export class InternalAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, inside the sidecar's own network`);
    this.name = 'InternalAddressError';
  }
}

/** The host of a URL without IPv6 brackets. */
export const bareHost = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/** Resolves a host name and throws InternalAddressError when any of its addresses is internal. */
export async function assertPublicHost(host: string): Promise<void> {
  if (net.isIP(host)) {
    if (isInternalAddress(host)) throw new InternalAddressError(host, host);
    return;
  }
  const addresses = await dns.promises.lookup(host, { all: true });
  for (const { address } of addresses) {
    if (isInternalAddress(address)) throw new InternalAddressError(host, address);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A dns.lookup for outgoing connections that refuses internal addresses, so that a name that
 * resolved to a public address when the webhook was saved cannot be pointed inside later.
 */
export function publicOnlyLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const internal = addresses.find((a) => isInternalAddress(a.address));
    if (internal) return callback(new InternalAddressError(hostname, internal.address), []);
    if (options.all) return callback(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
}
