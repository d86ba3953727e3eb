import { useCallback, useEffect, useState } from 'react';

/** A countdown in whole seconds, e.g. to stop "Resend email" from being pressed again too soon. */
export function useCooldown(seconds: number) {
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (endsAt === null) return;
    const timer = window.setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= endsAt) setEndsAt(null);
    }, 250);
    return () => window.clearInterval(timer);
  }, [endsAt]);

  const start = useCallback(
    (overrideSeconds?: number) => {
      const current = Date.now();
      setNow(current);
      setEndsAt(current + (overrideSeconds ?? seconds) * 1000);
    },
    [seconds],
  );

  const remaining = endsAt === null ? 0 : Math.max(0, Math.ceil((endsAt - now) / 1000));
  return { remaining, active: remaining > 0, start };
}
