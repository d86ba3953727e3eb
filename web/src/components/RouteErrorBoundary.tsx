import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

type Props = { children: ReactNode };
type State = { error: Error | null };

/** Catches render errors and failed lazy-chunk loads (e.g. after a deploy) for one page. */
export class RouteErrorBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Page failed to render', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <Center mih="50vh">
        <Stack align="center" gap="sm" maw={420} ta="center">
          <Title order={2} fz="xl">
            This page could not be shown
          </Title>
          <Text c="dimmed" size="sm">
            Something went wrong while loading it. Reloading usually helps, especially right after an update.
          </Text>
          <Button onClick={() => window.location.reload()}>Reload page</Button>
        </Stack>
      </Center>
    );
  }
}
