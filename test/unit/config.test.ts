import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, listensOnLoopbackOnly, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('serves on 127.0.0.1:3000 with SQLite in ./data when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      baseUrl: 'http://localhost:3000',
      env: 'development',
      secureCookies: false,
      smtpUrl: undefined,
    });
    expect(config.database).toEqual({ dialect: 'sqlite', file: path.resolve('data/allot.db') });
  });

  it('derives the public URL from PORT and trims a trailing slash from BASE_URL', () => {
    expect(loadConfig({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
    expect(loadConfig({ BASE_URL: 'https://licenses.example.com/' }).baseUrl).toBe('https://licenses.example.com');
  });

  it('turns on secure cookies when the public URL is HTTPS', () => {
    expect(loadConfig({ BASE_URL: 'https://licenses.example.com' }).secureCookies).toBe(true);
  });

  it('picks the dialect from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/allot' }).database).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u@db:5432/allot',
      queryTimeoutMs: 10_000,
      preparedStatements: true,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/allot', DATABASE_QUERY_TIMEOUT_MS: '2500' }).database).toMatchObject({ queryTimeoutMs: 2500 });
    // Behind PgBouncer in transaction mode (before 1.21), prepared statements must be off.
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/allot', DATABASE_PREPARED_STATEMENTS: '0' }).database).toMatchObject({ preparedStatements: false });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u@db:5432/allot', DATABASE_PREPARED_STATEMENTS: 'maybe' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/allot/a.db' }).database).toEqual({ dialect: 'sqlite', file: '/var/lib/allot/a.db' });
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['BASE_URL', { BASE_URL: 'ftp://example.com' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['SMTP_URL', { SMTP_URL: 'http://mail' }],
    ['AUTH_SECRET', { AUTH_SECRET: 'short' }],
    ['TRUST_PROXY', { TRUST_PROXY: 'maybe' }],
    ['DATABASE_QUERY_TIMEOUT_MS', { DATABASE_QUERY_TIMEOUT_MS: '-1' }],
  ])('stops with a message naming %s when it is wrong', (variable, environment) => {
    expect(() => loadConfig(environment)).toThrowError(ConfigError);
    expect(() => loadConfig(environment)).toThrowError(new RegExp(`${variable}:`));
  });

  it('requires AUTH_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrowError(/AUTH_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_SECRET: 'p'.repeat(40) }).authSecret).toBe('p'.repeat(40));
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ SMTP_URL: '', PORT: '' }).port).toBe(3000);
  });

  it('knows when the server only listens on loopback', () => {
    expect(listensOnLoopbackOnly({ host: '127.0.0.1' })).toBe(true);
    expect(listensOnLoopbackOnly({ host: '0.0.0.0' })).toBe(false);
  });
});
