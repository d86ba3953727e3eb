import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import { createPollingLoop } from '../lib/periodic-task.js';
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
  /** How long a leased batch is reserved for one worker; at least twice LONGEST_SEND_MS. */
  leaseMs?: number;
  /**
   * True when no other worker can exist (the embedded database has one server): leases left by a
   * crashed process are taken back at start instead of waiting for them to run out.
   */
  soleWorker?: boolean;
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

/**
 * The longest one delivery can take (connect, greeting, and a stalled socket), by the transport's
 * timeouts. A message is handed to SMTP only while at least this much of its lease is left, so no
 * other worker can lease it while we may still be sending it.
 */
const LONGEST_SEND_MS = 30_000;

export function smtpTransport({ smtpUrl, from }: { smtpUrl: string; from: string }): Transport & { close(): void } {
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 });
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

/** Without SMTP nobody delivers a message; its links expire within a day, so its body goes after a week. */
const UNDELIVERED_BODY_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const ERASE_INTERVAL_MS = 60 * 60 * 1000;

export function createDeliveryWorker(options: DeliveryWorkerOptions) {
  const { db, outbox, transport, logger, clock } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 2 * LONGEST_SEND_MS;

  /**
   * Messages SMTP accepted whose "sent" mark the database did not take (it went away in between).
   * They are marked before anything else on every pass, and never handed to SMTP again meanwhile:
   * a database outage does not make a message go out twice.
   */
  const deliveredUnmarked = new Map<number, Date>();
  let lastErasedAt = 0;

  async function markDeliveredOnes(): Promise<void> {
    for (const [id, sentAt] of deliveredUnmarked) {
      await outbox.markSent(db, id, sentAt);
      deliveredUnmarked.delete(id);
    }
  }

  async function deliver(message: OutboxMessage): Promise<void> {
    if (deliveredUnmarked.has(message.id)) return;
    if (message.body !== 'readable') {
      await outbox.markFailed(db, { id: message.id, error: 'The body was sealed under another AUTH_SECRET and cannot be read.' });
      logger.error({ outboxId: message.id, to: message.to }, 'mail body cannot be opened with this AUTH_SECRET; marked failed');
      return;
    }
    try {
      await transport!.send(message);
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
      return;
    }
    const sentAt = clock.now();
    deliveredUnmarked.set(message.id, sentAt);
    logger.info({ outboxId: message.id, to: message.to, subject: message.subject }, 'mail sent');
    await outbox.markSent(db, message.id, sentAt);
    deliveredUnmarked.delete(message.id);
  }

  /**
   * Without SMTP, say in the log that a message waits, once, without its links: they act as the
   * recipient, and logs travel further than the database. The dev mailbox (on loopback) or
   * `allot mail show` opens the message itself.
   */
  async function noteQueued(): Promise<number> {
    const messages = await outbox.listUnlogged(db, batchSize);
    for (const message of messages) {
      logger.info(
        { outboxId: message.id, to: message.to, subject: message.subject },
        `mail queued (no SMTP_URL configured): read it at /dev/mailbox, or run \`npx allot mail show ${message.id}\``,
      );
    }
    await outbox.markLogged(
      db,
      messages.map((m) => m.id),
      clock.now(),
    );
    const now = clock.now().getTime();
    if (now - lastErasedAt >= ERASE_INTERVAL_MS) {
      await outbox.eraseBodiesCreatedBefore(db, new Date(now - UNDELIVERED_BODY_LIFETIME_MS));
      lastErasedAt = now;
    }
    return messages.length;
  }

  async function runOnce(): Promise<number> {
    if (!transport) return noteQueued();
    await markDeliveredOnes();
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const messages = await outbox.leaseDue(db, { now, leaseUntil, limit: batchSize });
    for (const [index, message] of messages.entries()) {
      if (clock.now().getTime() > leaseUntil.getTime() - LONGEST_SEND_MS) {
        // A slow SMTP server ate the lease: give the rest back rather than risk a second sender.
        await outbox.releaseLeases(
          db,
          messages.slice(index).map((m) => m.id),
        );
        break;
      }
      await deliver(message);
    }
    return messages.length;
  }

  const loop = createPollingLoop('mail worker', runOnce, {
    intervalMs: pollIntervalMs,
    logger,
    batchSize,
    // The only worker of an embedded database takes back every lease a crashed process left.
    ...(options.soleWorker && transport ? { prepare: () => outbox.releaseLeases(db, 'all').then(() => undefined) } : {}),
  });

  return {
    start: loop.start,
    /** Finishes the pass in progress (so no leased message is left half-done), then stops. */
    stop: loop.stop,
    /** One pass, for the CLI and for tests that want to drive the worker step by step. */
    runOnce,
  };
}
