import { Button } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';

/**
 * Downloads a CSV export. A plain link, so the browser streams the file with the session cookie;
 * presented (and announced) as a button because it acts on the current view.
 */
export function ExportCsvButton({ href }: { href: string }) {
  return (
    <Button component="a" href={href} download role="button" variant="default" leftSection={<IconDownload size={16} />}>
      Export CSV
    </Button>
  );
}
