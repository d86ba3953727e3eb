import fs from 'node:fs';

/** Next to an embedded database while a server uses it; `allot restore` refuses while it names a live process. */
export const serverPidFile = (databaseFile: string): string => `${databaseFile}.server-pid`;

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

/**
 * Records that this process serves the embedded database, refusing when another live server
 * already does (two would each think they own the mail leases); returns what removes the record.
 */
export function claimServerPidFile(databaseFile: string): () => void {
  const other = runningServerPid(databaseFile);
  if (other !== undefined)
    throw new DatabaseInUseError(
      `Another Allot server (process ${other}) is using ${databaseFile}. Stop it first, or use PostgreSQL to run several instances.`,
    );
  const file = serverPidFile(databaseFile);
  fs.writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.rmSync(file);
    } catch {
      // Already gone.
    }
  };
}

/** The live process serving the embedded database, if any (a record left by a crash is ignored). */
export function runningServerPid(databaseFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(serverPidFile(databaseFile), 'utf8'));
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; ESRCH: a stale record after a crash.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
