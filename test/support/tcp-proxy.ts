import net from 'node:net';

export type TcpProxy = {
  host: string;
  port: number;
  /** Cuts every live connection and closes each new one at once, as a database outage does. */
  pause(): void;
  /** Forwards new connections again. */
  resume(): void;
  close(): Promise<void>;
};

/**
 * A TCP proxy on a free loopback port in front of `target`, so a test can take a service away
 * from the code under test (and give it back) without touching the service itself.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const live = new Set<net.Socket>();
  let paused = false;

  const track = (socket: net.Socket) => {
    live.add(socket);
    socket.once('close', () => live.delete(socket));
    // A reset from either side is expected during an outage; the pair is torn down below.
    socket.on('error', () => {});
  };

  const server = net.createServer((client) => {
    if (paused) {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  const destroyAll = () => {
    for (const socket of live) socket.resetAndDestroy();
    live.clear();
  };

  return {
    host: '127.0.0.1',
    port,
    pause() {
      paused = true;
      destroyAll();
    },
    resume() {
      paused = false;
    },
    close() {
      destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
