import { BlockList, isIP } from 'node:net';

/**
 * Which addresses an outbound fetch on a client's behalf (CIMD documents, `jwks_uri`) may reach:
 * only public unicast. Refused: unspecified, loopback, RFC 1918 private, CGNAT (100.64/10, where
 * Alibaba's metadata service lives), link-local (169.254/16 with the AWS/GCP/Azure metadata
 * address, fe80::/10), unique-local (fc00::/7, AWS's fd00:ec2::254), multicast, broadcast,
 * reserved, benchmarking and documentation ranges; IPv6 forms that embed an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by that address.
 */
const V4_RANGES: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const V6_RANGES: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const lists = new Map<string, BlockList>();
for (const [address, prefix, reason] of [...V4_RANGES, ...V6_RANGES]) {
  let list = lists.get(reason);
  if (!list) lists.set(reason, (list = new BlockList()));
  list.addSubnet(address, prefix, address.includes(':') ? 'ipv6' : 'ipv4');
}

/** The 16 bytes of an IPv6 address (with or without an embedded dotted quad). */
function ipv6Bytes(ip: string): number[] {
  let text = ip.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (quad) {
    const [a = 0, b = 0, c = 0, d = 0] = quad.split('.').map(Number);
    text = `${text.slice(0, -quad.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

/** The IPv4 address an IPv6 address carries, for the forms that route to it. */
function embeddedIPv4(ip: string): string | undefined {
  const b = ipv6Bytes(ip);
  const v4 = (offset: number) => b.slice(offset, offset + 4).join('.');
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 12)) return v4(12); // ::a.b.c.d (compatible, deprecated)
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12); // 64:ff9b::/96 NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002::/16 6to4
  return undefined;
}

export type AddressVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Whether `ip` (a literal, as DNS returned it or as written in a URL, brackets allowed) is a public
 * unicast address an outbound fetch may connect to. Anything that is not an IP literal is refused.
 */
export function checkAddress(ip: string): AddressVerdict {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(address);
  if (family === 0) return { ok: false, reason: 'not an IP address' };
  if (family === 6) {
    const inner = embeddedIPv4(address);
    if (inner !== undefined && inner !== '0.0.0.0' && inner !== '0.0.0.1') {
      const verdict = checkAddress(inner);
      if (!verdict.ok) return verdict;
    }
  }
  if (family === 4 && address === '255.255.255.255') return { ok: false, reason: 'broadcast' };
  for (const [reason, list] of lists) {
    if (list.check(address, family === 4 ? 'ipv4' : 'ipv6')) return { ok: false, reason };
  }
  return { ok: true };
}
