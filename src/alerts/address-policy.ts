import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not point unless ALERT_WEBHOOK_ALLOW_PRIVATE=true: the
 * machine itself and every network that is not the public internet, so a
 * rule cannot make the service probe its own infrastructure (SSRF).
 * BlockList matches IPv4-mapped IPv6 (::ffff:127.0.0.1) against the IPv4 ranges.
 */
const RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  // IPv4-compatible (deprecated) addresses like ::127.0.0.1.
  ['::', 96, 'ipv6', 'IPv4-compatible'],
  ['fc00::', 7, 'ipv6', 'unique-local'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['64:ff9b::', 96, 'ipv6', 'NAT64'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
];

const LISTS = RANGES.map(([net, prefix, type, why]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return { list, why };
});

/** Null when `address` (an IP literal) is a public unicast address; otherwise what kind it is. */
export function classifyAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, why } of LISTS) if (list.check(bare, type)) return why;
  return null;
}
