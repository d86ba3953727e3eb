import { useDocumentTitle } from '@mantine/hooks';

/** Sets the browser tab title to "<title> · Allot". */
export function usePageTitle(title: string): void {
  useDocumentTitle(title ? `${title} · Allot` : 'Allot');
}
