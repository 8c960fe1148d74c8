import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not go (SSRF): loopback, private, shared (CGNAT), link-local (cloud metadata
 * at 169.254.169.254), unique-local, multicast and unspecified addresses, in IPv4 and IPv6
 * (IPv4-mapped IPv6 addresses are checked as the IPv4 address they map).
 */
const REFUSED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  REFUSED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  REFUSED.addSubnet(net, bits, 'ipv6');

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:xxxx:yyyy) stands for. */
function mappedIpv4(address: string): string | undefined {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return undefined;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

export function isRefusedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const v4 = mappedIpv4(bare);
  if (v4) return REFUSED.check(v4, 'ipv4');
  const family = isIP(bare);
  if (family === 0) return true;
  return REFUSED.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a webhook URL is refused (a sentence), or undefined when it may be used. */
export type UrlVerdict = string | undefined;

/** The scheme rule: https, or http when the operator allows private webhooks (a receiver on the same network). */
export function schemeProblem(url: URL, allowPrivate: boolean): UrlVerdict {
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && allowPrivate) return undefined;
  return 'webhook URLs must use https (http only when the server runs with --allow-private-webhooks)';
}

const PRIVATE_HINT = 'resolves to a loopback, private, link-local or unspecified address; the operator may allow it with --allow-private-webhooks';

/** Resolves the URL's host and refuses it if any address it resolves to is private; at creation (DNS may change: see checkedLookup). */
export async function urlProblem(raw: string, allowPrivate: boolean): Promise<UrlVerdict> {
  const url = new URL(raw);
  const scheme = schemeProblem(url, allowPrivate);
  if (scheme || allowPrivate) return scheme;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return isRefusedAddress(host) ? `${host} ${PRIVATE_HINT}` : undefined;
  let addresses: LookupAddress[];
  try {
    addresses = await new Promise((resolve, reject) => dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))));
  } catch {
    return `the host ${host} does not resolve`;
  }
  const refused = addresses.find((a) => isRefusedAddress(a.address));
  return refused ? `${host} ${PRIVATE_HINT} (${refused.address})` : undefined;
}

export class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) that refuses private addresses: the check is made on the very
 * addresses the connection then uses, so a DNS answer that changed since creation (rebinding)
 * cannot reach an internal host.
 */
export function checkedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = allowPrivate ? undefined : addresses.find((a) => isRefusedAddress(a.address));
      if (refused) return callback(new RefusedAddressError(`${hostname} ${PRIVATE_HINT} (${refused.address})`), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
