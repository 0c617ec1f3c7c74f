import { BlockList, isIP } from 'node:net';

/** A parsed CIDR list that answers "is this peer address inside?". */
export interface AddressMatcher {
  contains(address: string | undefined): boolean;
  /** The CIDRs as given, for logs and `/health`-free diagnostics. */
  readonly cidrs: readonly string[];
}

/**
 * Parses one CIDR (`10.0.0.0/8`, `::1/128`, or a bare address meaning /32 or /128). Returns null
 * when it is not a valid CIDR, so the caller (config) can name the variable at fault.
 */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * Builds a matcher over CIDRs with `node:net`'s BlockList, which also matches IPv4-mapped IPv6
 * peers (`::ffff:127.0.0.1`, what a dual-stack socket reports for an IPv4 client).
 * Throws on an invalid CIDR; config validates first, so this only guards programming errors.
 */
export function createAddressMatcher(cidrs: readonly string[]): AddressMatcher {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (!parsed) throw new TypeError(`invalid CIDR: ${cidr}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return {
    cidrs: [...cidrs],
    contains(address) {
      if (!address) return false;
      const version = isIP(address);
      if (version === 0) return false;
      return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
