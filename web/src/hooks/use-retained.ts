import { useState } from 'react';

/**
 * The value, or while it is null the last value it had: lets a dialog keep showing what it was
 * about during its closing transition.
 */
export function useRetained<T>(value: T | null): T | null {
  const [kept, setKept] = useState(value);
  if (value !== null && value !== kept) setKept(value);
  return value ?? kept;
}
