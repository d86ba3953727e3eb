import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { Db } from '../db/database.js';
import type { OutboxMessage, OutboxRepository } from './outbox.repository.js';

export type Transport = { send(message: OutboxMessage): Promise<void> };

export type DeliveryWorkerOptions = {
  db: Db;
  outbox: OutboxRepository;
  /** Undefined when no SMTP server is configured: messages stay queued and are printed to the log. */
  transport: Transport | undefined;
  logger: Logger;
  clock: Clock;
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a leased message is reserved for one worker; longer than any SMTP timeout. */
  leaseMs?: number;
};

const FIRST_RETRY_MS = 5_000;
const LONGEST_RETRY_MS = 60 * 60 * 1000;

/** Exponential backoff with jitter, capped at an hour: an outage of any length ends in delivery. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.75 + random() * 0.5));
}

/** An SMTP 5xx reply (bad recipient, rejected content) will not change on retry. */
function isPermanentFailure(error: unknown): boolean {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}

export function smtpTransport({ smtpUrl, from }: { smtpUrl: string; from: string }): Transport & { close(): void } {
  const transporter = nodemailer.createTransport(smtpUrl, {});
  transporter.set('connectionTimeout', 10_000);
  return {
    async send(message) {
      await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        // Lets a receiving system drop a duplicate if a crash hit between SMTP accept and our commit.
        messageId: `<${message.dedupKey.replace(/[^A-Za-z0-9._-]/g, '.')}@allot>`,
        headers: { 'X-Allot-Message-Key': message.dedupKey },
      });
    },
    close: () => transporter.close(),
  };
}

const linkPattern = /https?:\/\/[^\s<>"')]+/g;

export function createDeliveryWorker(options: DeliveryWorkerOptions) {
  const { db, outbox, transport, logger, clock } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  async function deliver(message: OutboxMessage): Promise<void> {
    try {
      await transport!.send(message);
      await outbox.markSent(db, message.id, clock.now());
      logger.info({ outboxId: message.id, to: message.to, subject: message.subject }, 'mail sent');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (isPermanentFailure(error)) {
        await outbox.markFailed(db, { id: message.id, error: reason });
        logger.error({ outboxId: message.id, to: message.to, err: error }, 'mail rejected permanently');
        return;
      }
      const nextAttemptAt = new Date(clock.now().getTime() + retryDelayMs(message.attempts));
      await outbox.scheduleRetry(db, { id: message.id, nextAttemptAt, error: reason });
      logger.warn({ outboxId: message.id, attempts: message.attempts, nextAttemptAt, err: reason }, 'mail delivery failed; will retry');
    }
  }

  /** Without SMTP, a newcomer still needs the verification link: print each message once. */
  async function printQueued(): Promise<number> {
    const messages = await outbox.listUnlogged(db, batchSize);
    for (const message of messages) {
      logger.info(
        { outboxId: message.id, to: message.to, subject: message.subject, links: message.text.match(linkPattern) ?? [] },
        'mail queued (no SMTP_URL configured; read it at /dev/mailbox)',
      );
    }
    await outbox.markLogged(db, messages.map((m) => m.id), clock.now());
    return messages.length;
  }

  async function runOnce(): Promise<number> {
    if (!transport) return printQueued();
    const now = clock.now();
    const messages = await outbox.leaseDue(db, { now, leaseUntil: new Date(now.getTime() + leaseMs), limit: batchSize });
    for (const message of messages) await deliver(message);
    return messages.length;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => {
          logger.error({ err: error }, 'mail worker pass failed');
          return 0;
        })
        .then((handled) => schedule(handled === batchSize ? 0 : pollIntervalMs));
    }, delayMs);
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    /** Finishes the pass in progress (so no leased message is left half-done), then stops. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    /** One pass, for the CLI and for tests that want to drive the worker step by step. */
    runOnce,
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
