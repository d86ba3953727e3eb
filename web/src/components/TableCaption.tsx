import { VisuallyHidden } from '@mantine/core';

/**
 * Names a table for assistive technology without showing a caption. A caption rather than
 * `aria-label`, so a search for "the field labelled Team" never lands on a table.
 */
export function TableCaption({ children }: { children: string }) {
  return <caption className={VisuallyHidden.classes.root}>{children}</caption>;
}
