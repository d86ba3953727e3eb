import net from 'node:net';

export type TcpProxy = {
  host: string;
  port: number;
  /** Cuts every live connection and closes each new one at once, as a database outage does. */
  pause(): void;
  /** Forwards new connections again. */
  resume(): void;
  /**
   * A network partition: nothing is refused or reset, nothing gets through. Live connections
   * stop moving data (held, as the kernel holds unacknowledged packets) and new ones are accepted
   * but never answered, until heal().
   */
  partition(): void;
  /** Ends a partition: held data flows again, as TCP's retransmissions deliver it. */
  heal(): void;
  close(): Promise<void>;
};

/**
 * A TCP proxy on a free loopback port in front of `target`, so a test can take a service away
 * from the code under test (and give it back) without touching the service itself.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const live = new Set<net.Socket>();
  let paused = false;
  let partitioned = false;
  /** Connection pairs accepted during a partition, joined to the target when it heals. */
  const heldClients: net.Socket[] = [];

  const track = (socket: net.Socket) => {
    live.add(socket);
    socket.once('close', () => live.delete(socket));
    // A reset from either side is expected during an outage; the pair is torn down below.
    socket.on('error', () => {});
  };

  const forward = (client: net.Socket) => {
    const upstream = net.connect(target.port, target.host);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  };

  const server = net.createServer((client) => {
    if (paused) {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    if (partitioned) {
      track(client);
      client.pause();
      heldClients.push(client);
      return;
    }
    forward(client);
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
    partition() {
      partitioned = true;
      for (const socket of live) socket.pause();
    },
    heal() {
      partitioned = false;
      for (const socket of live) socket.resume();
      for (const client of heldClients.splice(0)) {
        if (client.destroyed) continue;
        client.resume();
        forward(client);
      }
    },
    close() {
      destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
