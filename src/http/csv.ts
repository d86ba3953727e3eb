import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

type Cell = string | number | Date | null | undefined;

/**
 * One CSV line (RFC 4180 quoting). Cells that a spreadsheet would run as a formula get a leading
 * apostrophe: an email like "=HYPERLINK(…)" must stay text when an admin opens the export.
 */
export function csvLine(cells: Cell[]): string {
  return `${cells
    .map((cell) => {
      if (cell === null || cell === undefined) return '';
      let text = cell instanceof Date ? cell.toISOString() : String(cell);
      if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',')}\r\n`;
}

/**
 * Streams pages as CSV, so an export of 100,000 rows never sits in memory whole. The first page is
 * read before anything is sent: an authorization error there becomes a proper error answer, not a
 * broken download.
 */
export async function sendCsv<T>(reply: FastifyReply, options: { filename: string; header: string[]; pages: AsyncGenerator<T[]>; row: (item: T) => Cell[] }) {
  const first = await options.pages.next();
  async function* lines() {
    yield csvLine(options.header);
    if (first.done) return;
    yield first.value.map((item) => csvLine(options.row(item))).join('');
    for await (const page of options.pages) yield page.map((item) => csvLine(options.row(item))).join('');
  }
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${options.filename}"`);
  return reply.send(Readable.from(lines()));
}
