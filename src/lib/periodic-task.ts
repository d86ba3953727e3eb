import type { Logger } from 'pino';

/** Runs `task` every `intervalMs` (never two at once), or first a few seconds after start; stop() waits for a run in progress. */
export function createPeriodicTask(
  name: string,
  task: () => Promise<unknown>,
  { intervalMs, logger, runAtStart = false }: { intervalMs: number; logger: Logger; runAtStart?: boolean },
) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const tick = () => {
    running = task()
      .catch((error: unknown) => logger.error({ err: error, task: name }, 'periodic task failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      // At start: a few seconds in, so the first requests are not kept waiting.
      timer = setTimeout(tick, runAtStart ? Math.min(5_000, intervalMs) : intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
