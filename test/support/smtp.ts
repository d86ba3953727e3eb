import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { to: string[]; from: string; subject: string; text: string; html: string | null; messageId: string | undefined; links: string[] };

/**
 * A real SMTP server inside the test. `down()` makes it refuse mail with a temporary failure,
 * as a real server does during an outage; `up()` heals it.
 */
export async function startSmtpServer(options: { beforeAccepting?: (mail: ReceivedMail) => Promise<void> | void } = {}) {
  const received: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let refusing = false;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      // A real server's answer for a mailbox that does not exist: permanent, not worth retrying.
      if (address.address.startsWith('no-such-mailbox')) {
        return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
      }
      if (refusing) {
        const error = Object.assign(new Error('Service temporarily unavailable'), { responseCode: 421 });
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const text = parsed.text ?? '';
          const mail: ReceivedMail = {
            to: [parsed.to].flat().flatMap((address) => address?.value.map((v) => v.address ?? '') ?? []),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text,
            html: typeof parsed.html === 'string' ? parsed.html : null,
            messageId: parsed.messageId,
            links: text.match(/https?:\/\/[^\s<>"')]+/g) ?? [],
          };
          // Runs before the server says 250: a test can make something fail in that very moment.
          await options.beforeAccepting?.(mail);
          received.push(mail);
          waiters.splice(0).forEach((wake) => wake());
          callback();
        })
        .catch(callback);
    },
  });
  // A sender killed mid-conversation (the kill -9 tests) resets its connection: that is the
  // sender's crash, which those tests cause on purpose. Any other server error still fails the run.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    down() {
      refusing = true;
    },
    up() {
      refusing = false;
    },
    /** Resolves with the first message (already received or still to come) that matches. */
    async waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs = 10_000): Promise<ReceivedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(predicate);
        if (found) return found;
        const remaining = deadline - Date.now();
        if (remaining <= 0)
          throw new Error(`no matching mail within ${timeoutMs} ms; received: ${received.map((m) => `${m.to.join(',')}: ${m.subject}`).join(' | ') || 'none'}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TestSmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;
