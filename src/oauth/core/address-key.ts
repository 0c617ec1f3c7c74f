import { isIPv6 } from 'node:net';

/**
 * The key a per-address counter uses for `ip`: the address itself for IPv4, its /64 network for
 * IPv6. One IPv6 subscriber usually holds a whole /64 (often much more), so counting single
 * addresses would give one caller 2^64 fresh buckets (issue 10 item 9). IPv4-mapped IPv6
 * (`::ffff:192.0.2.1`) counts as the IPv4 address.
 */
export function addressKey(ip: string): string {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(bare)) return bare;
  return `${expand(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address, lower case, without leading zeros. */
function expand(address: string): string[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((part) => Number.parseInt(part, 16).toString(16));
}
