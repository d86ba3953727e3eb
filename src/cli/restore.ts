import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { runningServerPid } from '../db/server-pid-file.js';

/** Why a file is not a usable Allot backup, or undefined when it is one. */
function backupProblem(backupFile: string): string | undefined {
  if (!fs.existsSync(backupFile)) return `${backupFile} does not exist.`;
  let backup: SqliteDatabase.Database | undefined;
  try {
    backup = new SqliteDatabase(backupFile, { readonly: true, fileMustExist: true });
    const integrity = backup.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return `${backupFile} is damaged (integrity check: ${String(integrity)}).`;
    const migrations = backup.prepare(`select count(*) as count from sqlite_master where type = 'table' and name = 'schema_migrations'`).get() as {
      count: number;
    };
    if (migrations.count !== 1) return `${backupFile} is an SQLite database, but not one of Allot's.`;
    return undefined;
  } catch (error) {
    return `${backupFile} is not an SQLite database (${error instanceof Error ? error.message : String(error)}).`;
  } finally {
    backup?.close();
  }
}

export type RestoreResult = { ok: true; keptAs: string } | { ok: false; message: string };

/**
 * Puts a backup (from `allot backup`) in place of the embedded database. The server must be
 * stopped: it holds the file open, and would keep writing to the replaced one. The database being
 * replaced is not deleted but kept beside it, so a wrong restore can be undone.
 */
export function restoreSqlite({ backupFile, databaseFile, now = new Date() }: { backupFile: string; databaseFile: string; now?: Date }): RestoreResult {
  const problem = backupProblem(backupFile);
  if (problem) return { ok: false, message: problem };
  const pid = runningServerPid(databaseFile);
  if (pid !== undefined) return { ok: false, message: `An Allot server (process ${pid}) is using ${databaseFile}. Stop it, then run allot restore again.` };

  const keptAs = `${databaseFile}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  if (fs.existsSync(databaseFile)) {
    // Fold the write-ahead log into the file, so the kept copy is whole on its own.
    const current = new SqliteDatabase(databaseFile);
    try {
      current.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      current.close();
    }
    fs.renameSync(databaseFile, keptAs);
  }
  for (const leftover of [`${databaseFile}-wal`, `${databaseFile}-shm`]) fs.rmSync(leftover, { force: true });

  // Copy beside the target, flush it to disk, then rename: a crash leaves the old file or the new one, never half of one.
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const staging = `${databaseFile}.restoring`;
  fs.copyFileSync(backupFile, staging);
  const handle = fs.openSync(staging, 'r+');
  try {
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
  fs.renameSync(staging, databaseFile);
  return { ok: true, keptAs: fs.existsSync(keptAs) ? keptAs : '(nothing: there was no database)' };
}
