/** A host name: labels of letters, digits and inner hyphens, ending in a TLD of letters (or punycode). */
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** Splits "acme.com, *.acme.de" into normalized rules; reports what is not a domain. */
export function parseDomainRules(input: string[] | string): { domains: string[]; invalid: string[] } {
  const parts = (Array.isArray(input) ? input : [input])
    .flatMap((chunk) => chunk.split(/[\s,;]+/))
    .map((part) => part.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const domains: string[] = [];
  const invalid: string[] = [];
  for (const part of parts) {
    const host = part.startsWith('*.') ? part.slice(2) : part;
    if (DOMAIN_PATTERN.test(host)) {
      if (!domains.includes(part)) domains.push(part);
    } else invalid.push(part);
  }
  return { domains, invalid };
}

/**
 * Exact, case-insensitive match on the part after "@"; "*.acme.com" matches acme.com itself and
 * any subdomain of it. An empty rule list allows every address.
 */
export function emailDomainAllowed(email: string, domains: string[]): boolean {
  if (domains.length === 0) return true;
  const host = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.some((rule) => (rule.startsWith('*.') ? host === rule.slice(2) || host.endsWith(rule.slice(1)) : host === rule));
}
