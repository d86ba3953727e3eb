import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import dns from 'node:dns';
import { AppError } from '../../errors.js';

/**
 * Server-side request forgery: a webhook URL is the one place where an organization admin makes
 * this server open a connection of their choosing. Unless the operator allows it
 * (WEBHOOK_ALLOW_PRIVATE), no delivery goes to loopback, private, shared (CGNAT), link-local (the
 * cloud metadata service lives there), multicast or reserved addresses — checked when the URL is
 * saved and again at every connection, against the address actually dialled (DNS can change).
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    // IPv4-mapped (::ffff:10.0.0.1) and -compatible forms reach the IPv4 address.
    const mapped = address.toLowerCase().match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

export type UrlPolicy = { allowPrivate: boolean };

/** Parses and checks a webhook URL; throws WEBHOOK_URL_REFUSED naming the reason. */
export async function assertDeliverableUrl(text: string, policy: UrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('WEBHOOK_URL_REFUSED', { message: 'This is not a URL.' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('WEBHOOK_URL_REFUSED', { message: 'Use an http or https URL.' });
  if (url.username || url.password) {
    throw new AppError('WEBHOOK_URL_REFUSED', { message: 'Put no credentials in the URL: deliveries are signed, verify the signature instead.' });
  }
  if (policy.allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    throw new AppError('WEBHOOK_URL_REFUSED', { message: `The host ${url.hostname} does not resolve.` });
  }
  const refused = addresses.find(isPrivateAddress);
  if (refused) {
    throw new AppError('WEBHOOK_URL_REFUSED', {
      message: `${url.hostname} resolves to ${refused}, a private, loopback or link-local address. Webhooks go to public addresses only.`,
    });
  }
  return url;
}

/** A `lookup` for http.request that refuses private addresses at connection time (unless allowed). */
export function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const list = addresses as dns.LookupAddress[];
      const allowed = policy.allowPrivate ? list : list.filter((entry) => !isPrivateAddress(entry.address));
      if (allowed.length === 0) {
        const refusal = Object.assign(new Error(`${hostname} resolves to a private, loopback or link-local address`), { code: 'EADDRNOTALLOWED' });
        return callback(refusal, '', 4);
      }
      if (options.all) return (callback as unknown as (error: null, addresses: dns.LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
