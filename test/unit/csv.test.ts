import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/http/csv.js';
import { parseCsv } from '../../src/lib/csv-parse.js';
import { parseEmailList } from '../../src/modules/licenses/licenses.service.js';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and round-trips through the parser', () => {
    const line = csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 42]);
    expect(line).toBe('plain,"a,b","say ""hi""","two\nlines",,42\r\n');
    expect(parseCsv(line)).toEqual([['plain', 'a,b', 'say "hi"', 'two\nlines', '', '42']]);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvLine(['=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)'])).toBe(`"'=HYPERLINK(""http://evil"")",'+1,'-2,'@SUM(A1)\r\n`);
  });

  it('skips blank lines and accepts LF or CRLF', () => {
    expect(parseCsv('a,b\r\n\r\nc,d\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});

describe('pasted email lists', () => {
  it('splits on commas, semicolons, spaces and newlines, lower-cases and drops repeats', () => {
    expect(parseEmailList(['Ann@Acme.com, bob@acme.com;carl@acme.com\n\n ann@acme.com  <dee@acme.com>'])).toEqual([
      'ann@acme.com',
      'bob@acme.com',
      'carl@acme.com',
      'dee@acme.com',
    ]);
  });
});
