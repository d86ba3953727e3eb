import pino, { type Logger } from 'pino';
import { redactField, redactSecrets, redactSecretsDeep } from './lib/redact.js';

/** The request fields a log line needs, with credentials in the URL redacted. */
type LoggedRequest = { method: string; url: string; ip?: string; host?: string; socket?: { remotePort?: number } };

/** Keys whose values pino's serializers shape (and redact) themselves. */
const SERIALIZED_KEYS = new Set(['req', 'res', 'err']);

/**
 * JSON logs (one object per line); request logs carry the request id. Nothing in a log line lets
 * its reader act as someone: the values of credential-named fields (password, token, cookie,
 * authorization, at any depth) are censored, requests are logged without their headers, and
 * tokens in URLs are redacted wherever they appear (request lines, error messages and stacks, any
 * other string; lib/redact.ts). The walk is ours, in one pass per line: pino's path redaction
 * copied each line again and was a twentieth of a plain request's time.
 */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  const loggerOptions: pino.LoggerOptions = {
    level: options.level,
    base: { service: 'allot' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: {
      req: (request: LoggedRequest) => ({
        method: request.method,
        url: redactSecrets(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
      err: (error: Error) => redactSecretsDeep(pino.stdSerializers.err(error)),
    },
    formatters: {
      log(object) {
        const redacted: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(object)) {
          redacted[key] = SERIALIZED_KEYS.has(key) || value instanceof Error ? value : redactField(key, value);
        }
        return redacted;
      },
    },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((argument) => (typeof argument === 'string' ? redactSecrets(argument) : argument));
        return method.apply(this, redacted as Parameters<typeof method>);
      },
    },
  };
  // Asynchronous writes to standard output: a synchronous write per line held up every request.
  // pino flushes what is pending when the process exits.
  return pino(loggerOptions, options.destination ?? pino.destination({ dest: 1, sync: false }));
}
