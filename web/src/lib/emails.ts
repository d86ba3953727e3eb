/**
 * Reads a pasted list of addresses: split on commas, semicolons, spaces and new lines, trimmed,
 * with `<…>`, quotes and `mailto:` removed, and duplicates (ignoring case) left out.
 */
export function parseEmailList(text: string): string[] {
  const seen = new Set<string>();
  const emails: string[] = [];
  for (const token of text.split(/[\s,;]+/)) {
    const email = token
      .trim()
      .replace(/^mailto:/i, '')
      .replace(/^[<"'(]+|[>"')]+$/g, '');
    if (!email) continue;
    const key = email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    emails.push(email);
  }
  return emails;
}
