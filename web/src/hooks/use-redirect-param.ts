import { useSearchParams } from 'react-router';
import { DEFAULT_AFTER_SIGN_IN, safeRedirect } from '../lib/redirect';

/**
 * The validated `?redirect=` of the current page. `forward` is what to pass on to the next
 * page's query (undefined when it is the default, to keep URLs short).
 */
export function useRedirectParam(): { redirect: string; forward: string | undefined } {
  const [params] = useSearchParams();
  const redirect = safeRedirect(params.get('redirect'));
  return { redirect, forward: redirect === DEFAULT_AFTER_SIGN_IN ? undefined : redirect };
}
