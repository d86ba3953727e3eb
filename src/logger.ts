import pino, { type Logger } from 'pino';

/** JSON logs (one object per line) with secrets redacted; request logs carry the request id. */
export function createLogger(options: { level: string }): Logger {
  return pino({
    level: options.level,
    base: { service: 'allot' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
  });
}
