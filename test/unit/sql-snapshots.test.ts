import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSqlSnapshots, SNAPSHOT_DIR } from '../../scripts/sql-snapshots.js';

describe('SQL snapshots', () => {
  it('docs/sql holds exactly the SQL every repository method sends now (run `npm run sql` after a query changes)', async () => {
    const generated = await generateSqlSnapshots();
    const committed = Object.fromEntries(fs.readdirSync(SNAPSHOT_DIR).map((file) => [file, fs.readFileSync(path.join(SNAPSHOT_DIR, file), 'utf8')]));
    expect(Object.keys(committed).sort()).toEqual(Object.keys(generated).sort());
    const stale = Object.keys(generated).filter((file) => committed[file] !== generated[file]);
    expect(stale, 'stale snapshots: run `npm run sql` and review the diff').toEqual([]);
    // Both dialects of every repository, each with its methods.
    expect(Object.keys(generated).length).toBeGreaterThanOrEqual(30);
    expect(generated['licenses.postgres.sql']).toContain('for update skip locked');
  });
});
