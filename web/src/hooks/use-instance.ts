import { useEffect, useState } from 'react';
import { api } from '../api';
import type { Instance } from '@allot/contract';

let cachedInstance: Promise<Instance> | null = null;

/** GET /api/v1/instance, fetched once per page load and shared by every caller. */
export function loadInstance(): Promise<Instance> {
  if (!cachedInstance) {
    cachedInstance = api<Instance>('/instance').catch((error: unknown) => {
      cachedInstance = null; // let the next caller try again
      throw error;
    });
  }
  return cachedInstance;
}

export type InstanceState = { instance: Instance | null; loading: boolean; error: unknown };

export function useInstance(): InstanceState {
  const [state, setState] = useState<InstanceState>({ instance: null, loading: true, error: null });

  useEffect(() => {
    let active = true;
    loadInstance().then(
      (instance) => active && setState({ instance, loading: false, error: null }),
      (error: unknown) => active && setState({ instance: null, loading: false, error }),
    );
    return () => {
      active = false;
    };
  }, []);

  return state;
}
