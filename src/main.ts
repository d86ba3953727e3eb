import { ConfigError, loadConfig } from './config.js';
import { resolveAuthSecret } from './instance-secret.js';
import { createLogger } from './logger.js';
import { DatabaseInUseError } from './db/server-pid-file.js';
import { DatabaseUnreachableError, startServer, type RunningServer } from './server.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });

  let server: RunningServer;
  try {
    server = await startServer({ config: { ...config, authSecret: resolveAuthSecret(config) }, logger });
  } catch (error) {
    if (error instanceof DatabaseUnreachableError || error instanceof DatabaseInUseError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
  logger.info({ url: config.baseUrl, listening: server.address, database: config.database.dialect }, 'Allot is running');

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // unref: the deadline must not itself keep the process alive once everything has closed.
    setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting anyway');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close().then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

await main();
