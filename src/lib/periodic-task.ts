import type { Logger } from 'pino';

/**
 * Runs `pass` in a loop, never two at once: again at once while it handles full batches (a
 * backlog drains without waiting), otherwise after `intervalMs`. `prepare` runs once before the
 * first pass (a failure is logged and the loop starts a pace later). stop() waits for a pass in
 * progress, so nothing is left half-done. The mail and webhook workers and the scheduled jobs share it.
 */
export function createPollingLoop(
  name: string,
  pass: () => Promise<number>,
  options: { intervalMs: number; logger: Logger; batchSize?: number; firstDelayMs?: number; prepare?: () => Promise<void> },
) {
  const { intervalMs, logger, batchSize = Number.POSITIVE_INFINITY, firstDelayMs = 0 } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((error: unknown) => {
          logger.error({ err: error }, `${name} pass failed`);
          return 0;
        })
        .then((handled) => schedule(handled >= batchSize ? 0 : intervalMs));
    }, delayMs);
  };
  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      if (!options.prepare) return schedule(firstDelayMs);
      running = options.prepare().then(
        () => schedule(firstDelayMs),
        (error: unknown) => {
          logger.error({ err: error }, `${name} could not prepare`);
          schedule(intervalMs);
        },
      );
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** Runs `task` every `intervalMs` (or first a few seconds after start), never two at once; stop() waits for a run in progress. */
export function createPeriodicTask(
  name: string,
  task: () => Promise<unknown>,
  { intervalMs, logger, runAtStart = false }: { intervalMs: number; logger: Logger; runAtStart?: boolean },
) {
  return createPollingLoop(
    name,
    async () => {
      await task();
      return 0;
    },
    // At start: a few seconds in, so the first requests are not kept waiting.
    { intervalMs, logger, firstDelayMs: runAtStart ? Math.min(5_000, intervalMs) : intervalMs },
  );
}
