const BASE_TARGET = '<base target="_blank">';

/** Makes every link in an email body open in a new tab when shown in the sandboxed iframe. */
export function withLinksInNewTab(html: string): string {
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) {
    const end = head.index + head[0].length;
    return html.slice(0, end) + BASE_TARGET + html.slice(end);
  }
  const root = /<html(\s[^>]*)?>/i.exec(html);
  if (root) {
    const end = root.index + root[0].length;
    return `${html.slice(0, end)}<head>${BASE_TARGET}</head>${html.slice(end)}`;
  }
  return BASE_TARGET + html;
}

/** The http(s) links in a plain-text body, in order, without duplicates or trailing punctuation. */
export function extractLinks(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'`]+/g) ?? [];
  const links = found.map((link) => link.replace(/[.,;:!?)\]}>]+$/, ''));
  return [...new Set(links)];
}
