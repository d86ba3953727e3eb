import path from 'node:path';
import { z } from 'zod';

/** Values that read as "on" or "off" in an environment variable; unset (or empty) reads as `unset`. */
const flagOr = (unset: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .optional()
    .transform((value) => (value === undefined || value === '' ? unset : value === '1' || value === 'true' || value === 'yes'));
const flag = flagOr(false);

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:|file:)/, 'must start with postgres://, sqlite: or file:')
    .optional(),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  DATABASE_PREPARED_STATEMENTS: flagOr(true),
  DATA_DIR: z.string().min(1).default('./data'),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Allot <allot@localhost>'),
  TRUST_PROXY: flag,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TICKET_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  DEVICE_POLL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(60).default(5),
  API_TOKEN_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(600),
  WEBHOOK_ALLOW_PRIVATE: flag,
});

/** Every environment variable the server and the CLI read (the README's table lists each one). */
export const CONFIG_VARIABLES = Object.keys(environmentSchema.shape) as Array<keyof typeof environmentSchema.shape>;

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string }
  /** queryTimeoutMs: see DatabaseOptions in db/database.ts; 0 for none. */
  /** preparedStatements: off behind a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode). */
  | { dialect: 'postgres'; connectionString: string; queryTimeoutMs?: number; preparedStatements?: boolean };

export type Config = {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Public URL without a trailing slash; every link we send is built from it. */
  baseUrl: string;
  database: DatabaseConfig;
  dataDir: string;
  /** Undefined in embedded mode until the secret file is read or created (see instance-secret.ts). */
  authSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  trustProxy: boolean;
  logLevel: string;
  /** When set, /metrics needs `Authorization: Bearer <token>`; unset, it answers loopback clients only. */
  metricsToken: string | undefined;
  /** How long an online license ticket lives; products refresh before then. */
  ticketTtlHours: number;
  /** The polling interval the device login tells products to keep (RFC 8628). */
  devicePollIntervalSeconds: number;
  /** Cookies get the Secure attribute and the __Secure- prefix when the public URL is HTTPS. */
  secureCookies: boolean;
  /** Requests an API token may make per minute. */
  apiTokenRateLimit: number;
  /** Webhooks may call loopback, private and link-local addresses (tests, internal networks). */
  webhookAllowPrivate: boolean;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; a wrong value throws a ConfigError naming the variable. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const blankToUndefined = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === '' ? undefined : value]));
  const parsed = environmentSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const baseUrl = (env.BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');

  if (env.NODE_ENV === 'production' && !env.AUTH_SECRET) {
    throw new ConfigError('Invalid configuration:\n  AUTH_SECRET: required when NODE_ENV=production (generate one with `openssl rand -base64 48`)');
  }

  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    baseUrl,
    database: parseDatabaseUrl(env.DATABASE_URL, dataDir, {
      queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    }),
    dataDir,
    authSecret: env.AUTH_SECRET,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
    ticketTtlHours: env.TICKET_TTL_HOURS,
    devicePollIntervalSeconds: env.DEVICE_POLL_INTERVAL_SECONDS,
    secureCookies: baseUrl.startsWith('https://'),
    apiTokenRateLimit: env.API_TOKEN_RATE_LIMIT,
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
  };
}

function parseDatabaseUrl(url: string | undefined, dataDir: string, postgres: { queryTimeoutMs: number; preparedStatements: boolean }): DatabaseConfig {
  if (!url) return { dialect: 'sqlite', file: path.join(dataDir, 'allot.db') };
  if (url.startsWith('postgres')) return { dialect: 'postgres', connectionString: url, ...postgres };
  const file = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
}

/** True when the server only listens on the loopback interface, so local-only tools may be served. */
export function listensOnLoopbackOnly(config: Pick<Config, 'host'>): boolean {
  return ['127.0.0.1', 'localhost', '::1'].includes(config.host);
}
