import type { Logger } from 'pino';

/** Runs `task` every `intervalMs` (never two at once); stop() waits for a run in progress. */
export function createPeriodicTask(name: string, task: () => Promise<unknown>, { intervalMs, logger }: { intervalMs: number; logger: Logger }) {
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
      timer = setTimeout(tick, intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
