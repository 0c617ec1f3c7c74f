import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import tls from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import type { Check, CheckResult, DoctorContext } from '../types.ts';

const privateRanges = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
] as const)
  privateRanges.addSubnet(net, bits, 'ipv4');
privateRanges.addSubnet('fc00::', 7, 'ipv6');
privateRanges.addAddress('::1', 'ipv6');

/** DNS: the host resolves, and to an address ChatGPT's servers can reach (not private or loopback). */
export const dnsCheck: Check = {
  name: 'dns',
  async run(ctx) {
    const host = new URL(ctx.target.origin).hostname.replace(/^\[|\]$/g, '');
    try {
      const addresses = (await lookup(host, { all: true })).map((a) => a.address);
      const internal = addresses.filter((a) => privateRanges.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4'));
      if (internal.length === addresses.length) {
        return [
          {
            status: 'WARN',
            name: 'dns',
            detail: `${host} → ${addresses.join(', ')}: private or loopback only`,
            fix: "ChatGPT connects from the internet: publish an A record with the server's public address (fine for local tests)",
          },
        ];
      }
      return [{ status: 'PASS', name: 'dns', detail: `${host} → ${addresses.join(', ')}` }];
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      return [
        {
          status: 'FAIL',
          name: 'dns',
          detail: `${host} does not resolve (${code})`,
          fix: `create an A record for ${host} pointing at the server (dig +short ${host})`,
          fatal: true,
        },
      ];
    }
  },
};

const CERT_FIX =
  'this is the most common reason ChatGPT says "Error creating connector": serve a certificate from a public CA (docker compose logs certbot; docs/deploy.md "The first certificate")';

function describeTlsError(code: string, host: string): Omit<CheckResult, 'name'> {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return { status: 'FAIL', detail: `self-signed certificate (${code})`, fix: CERT_FIX };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return {
        status: 'FAIL',
        detail: `certificate not issued by a trusted CA, or the chain is incomplete (${code})`,
        fix: `${CERT_FIX}; serve fullchain.pem, not cert.pem`,
      };
    case 'CERT_HAS_EXPIRED':
      return { status: 'FAIL', detail: 'certificate expired', fix: `${CERT_FIX}; renewal failed: docker compose logs certbot` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { status: 'FAIL', detail: `certificate does not name ${host}`, fix: `${CERT_FIX}; DOMAIN in .env must be ${host}` };
    default:
      return {
        status: 'FAIL',
        detail: `TLS handshake failed (${code})`,
        fix: 'check that port 443 reaches nginx (ufw allow 443/tcp) and nginx is up: docker compose ps',
      };
  }
}

function handshake(
  host: string,
  port: number,
  ca: string | undefined,
): Promise<{ cert: PeerCertificate; error: string | undefined; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      {
        host,
        port,
        rejectUnauthorized: false,
        ...(isIP(host) ? {} : { servername: host }),
        ...(ca ? { ca: [...tls.rootCertificates, ca] } : {}),
      },
      () => {
        const cert = socket.getPeerCertificate();
        let error = socket.authorized ? undefined : String(socket.authorizationError);
        if (!error) error = (tls.checkServerIdentity(host, cert) as (Error & { code?: string }) | undefined)?.code;
        const protocol = socket.getProtocol();
        socket.end();
        resolve({ cert, error, protocol });
      },
    );
    socket.setTimeout(10_000, () => socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    socket.on('error', reject);
  });
}

/**
 * TLS as ChatGPT sees it: verified against the public CAs only. A certificate trusted only through
 * --ca is a WARN (fine for a test, not for ChatGPT). After a failure the remaining checks go on
 * without verification so they can still report everything else.
 */
export const tlsCheck: Check = {
  name: 'tls',
  async run(ctx: DoctorContext) {
    const url = new URL(ctx.target.origin);
    if (url.protocol !== 'https:') {
      return [
        {
          status: 'FAIL',
          name: 'tls',
          detail: `${ctx.target.origin} is plain http`,
          fix: 'ChatGPT and Claude require https: put nginx (docker compose) in front and use the https URL',
        },
      ];
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);
    let publicResult: Awaited<ReturnType<typeof handshake>>;
    try {
      publicResult = await handshake(host, port, undefined);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'error';
      return [
        {
          status: 'FAIL',
          name: 'tls',
          detail: `cannot connect to ${host}:${port} (${code})`,
          fix: 'open 443/tcp in the firewall and security group; check nginx is running: docker compose ps',
          fatal: true,
        },
      ];
    }
    const days = Math.floor((Date.parse(publicResult.cert.valid_to) - ctx.now()) / 86_400_000);
    const results: CheckResult[] = [];
    // With --ca, the more specific verdict (expired, wrong name) comes from the handshake that trusts it.
    const withCa = publicResult.error !== undefined && ctx.http.ca !== undefined ? await handshake(host, port, ctx.http.ca) : undefined;
    if (publicResult.error === undefined) {
      results.push({
        status: 'PASS',
        name: 'tls',
        detail: `${publicResult.protocol}, certificate for ${publicResult.cert.subject?.CN ?? host} from ${publicResult.cert.issuer?.O ?? publicResult.cert.issuer?.CN ?? 'a public CA'}, ${days} days left`,
      });
    } else if (withCa && withCa.error === undefined) {
      results.push({
        status: 'WARN',
        name: 'tls',
        detail: `certificate trusted only through --ca (${publicResult.error})`,
        fix: 'fine for a test; ChatGPT trusts public CAs only',
      });
    } else {
      results.push({ name: 'tls', ...describeTlsError(withCa?.error ?? publicResult.error, host) });
      ctx.http.insecure = true;
    }
    if (publicResult.error === undefined && days < 14) {
      results.push({
        status: 'WARN',
        name: 'tls expiry',
        detail: `certificate expires in ${days} days`,
        fix: 'renewal is not happening: docker compose logs certbot',
      });
    }
    return results;
  },
};

/** Clock skew: token lifetimes (exp, iat) are checked against the server's clock. */
export const clockCheck: Check = {
  name: 'clock',
  async run(ctx) {
    const res = await ctx.request(ctx.target.mcpUrl, { method: 'HEAD' });
    const date = Date.parse(String(res.headers.date ?? ''));
    if (Number.isNaN(date))
      return [{ status: 'WARN', name: 'clock', detail: 'no Date header', fix: 'nginx adds one; is something else answering?' }];
    const skew = Math.round((date - ctx.now()) / 1000);
    if (Math.abs(skew) > 300)
      return [
        {
          status: 'FAIL',
          name: 'clock',
          detail: `server clock off by ${skew} s`,
          fix: 'enable time sync on the server (timedatectl set-ntp true); tokens will look expired or not yet valid',
        },
      ];
    if (Math.abs(skew) > 30)
      return [
        { status: 'WARN', name: 'clock', detail: `server clock off by ${skew} s`, fix: 'enable time sync (timedatectl set-ntp true)' },
      ];
    return [{ status: 'PASS', name: 'clock', detail: `server clock within ${Math.abs(skew)} s` }];
  },
};
