import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { createVerifiedUser, signUp, uniqueEmail } from '../support/accounts.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';
import { startSmtpServer } from '../support/smtp.js';
import { startTestServer, TEST_SECRET } from '../support/test-server.js';

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'allot-cli-'));
  tempDirs.push(dir);
  return dir;
}

function environmentFor(databaseUrl: string): NodeJS.ProcessEnv {
  return { NODE_ENV: 'test', AUTH_SECRET: TEST_SECRET, DATABASE_URL: databaseUrl };
}

function databaseUrlOf(testDatabase: TestDatabase): string {
  return testDatabase.config.dialect === 'sqlite' ? `sqlite:${testDatabase.config.file}` : testDatabase.config.connectionString;
}

/** Runs the CLI in this process, capturing what it prints. */
async function cli(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A fresh database of its own, dropped when the test ends. */
async function freshDatabase(context: TestContext, dialect: TestDatabase['dialect']): Promise<TestDatabase> {
  const testDatabase = await createTestDatabase(dialect);
  context.onTestFinished(() => testDatabase.drop());
  return testDatabase;
}

describe.each(DIALECTS)('allot CLI on %s', (dialect) => {
  it('migrate applies the migrations to an empty database and then reports it up to date', async (context) => {
    const testDatabase = await freshDatabase(context, dialect);
    const env = environmentFor(databaseUrlOf(testDatabase));

    const first = await cli(['migrate'], env);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^Applied \d+ migration\(s\): /);

    const database = testDatabase.open();
    try {
      const recorded = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(database.db);
      const names = recorded.rows.map((row) => row.name);
      expect(names.length).toBeGreaterThan(0);
      expect(first.out).toBe(`Applied ${names.length} migration(s): ${names.join(', ')}`);
      expect(await database.db.selectFrom('organizations').selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
    }

    const second = await cli(['migrate'], env);
    expect(second.code, second.err).toBe(0);
    expect(second.out).toContain('up to date');
  });

  it('setup creates the organization and a pending operator grant for the admin, and refuses a second run', async (context) => {
    const testDatabase = await freshDatabase(context, dialect);
    const env = environmentFor(databaseUrlOf(testDatabase));

    const first = await cli(['setup', '--org', 'Acme', '--admin', 'Admin@Acme.TEST'], env);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('Created organization "Acme"');
    expect(first.out).toContain('admin@acme.test');

    const database = testDatabase.open();
    try {
      const organizations = await database.db.selectFrom('organizations').select(['id', 'name']).execute();
      expect(organizations).toHaveLength(1);
      expect(organizations[0]!.name).toBe('Acme');
      const grants = await database.db.selectFrom('pending_grants').select(['email', 'organization_id', 'role', 'operator']).execute();
      expect(grants).toHaveLength(1);
      expect(grants[0]).toMatchObject({ email: 'admin@acme.test', organization_id: organizations[0]!.id, role: 'org_admin' });
      expect(Boolean(grants[0]!.operator)).toBe(true);

      const again = await cli(['setup', '--org', 'Other', '--admin', 'other@acme.test'], env);
      expect(again.code).toBe(1);
      expect(again.err).toContain('already set up');
      expect(await database.db.selectFrom('organizations').select('name').execute()).toEqual([{ name: 'Acme' }]);
      expect(await database.db.selectFrom('pending_grants').select('email').execute()).toEqual([{ email: 'admin@acme.test' }]);
    } finally {
      await database.close();
    }
  });
});

describe('allot backup on sqlite (sqlite only: PostgreSQL is backed up with pg_dump)', () => {
  it('copies the database while the server runs, with all its rows', async (context) => {
    const smtp = await startSmtpServer();
    context.onTestFinished(() => smtp.stop());
    const server = await startTestServer({ dialect: 'sqlite', smtp });
    context.onTestFinished(() => server.destroy());
    const { email } = await createVerifiedUser(server.client(), smtp);
    const live = await server.database.db.selectFrom('users').select('email').execute();
    expect(live.map((row) => row.email)).toContain(email);

    const file = path.join(tempDir(), 'backup.db');
    const result = await cli(['backup', file], environmentFor(databaseUrlOf(server.testDatabase)));
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(file);

    const backup = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      const rows = backup.prepare('select email from users').all() as Array<{ email: string }>;
      expect(rows).toHaveLength(live.length);
      expect(rows.map((row) => row.email)).toContain(email);
    } finally {
      backup.close();
    }
    // The server is unaffected.
    expect((await server.client().get('/readyz')).status).toBe(200);
  });
});

describe('allot restore on sqlite (sqlite only: PostgreSQL is restored with pg_restore)', () => {
  it('backs up, lets data change, restores, and the server finds the old state; the replaced file is kept', async (context) => {
    const smtp = await startSmtpServer();
    context.onTestFinished(() => smtp.stop());
    let server = await startTestServer({ dialect: 'sqlite', smtp });
    context.onTestFinished(() => server.destroy());
    const env = environmentFor(databaseUrlOf(server.testDatabase));
    const before = await createVerifiedUser(server.client(), smtp);
    const backupFile = path.join(tempDir(), 'backup.db');
    expect((await cli(['backup', backupFile], env)).code).toBe(0);
    const after = await createVerifiedUser(server.client(), smtp);

    const file = server.testDatabase.config.dialect === 'sqlite' ? server.testDatabase.config.file : '';
    // A running server is named and left alone. (This test process is the server here, so another
    // live process stands in for it in the record.)
    const stranger = spawn('sleep', ['30']);
    context.onTestFinished(() => void stranger.kill());
    fs.writeFileSync(`${file}.server-pid`, String(stranger.pid));
    const refused = await cli(['restore', backupFile], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`process ${stranger.pid}`);
    stranger.kill();
    await new Promise((resolve) => stranger.once('exit', resolve));

    await server.close();
    const restored = await cli(['restore', backupFile], env);
    expect(restored.code, restored.err).toBe(0);
    const keptAs = /kept as (.+)\.$/.exec(restored.out)![1]!;
    expect(fs.existsSync(keptAs)).toBe(true);

    server = await startTestServer({ dialect: 'sqlite', smtp, testDatabase: server.testDatabase });
    const emails = (await server.database.db.selectFrom('users').select('email').execute()).map((row) => row.email);
    expect(emails).toContain(before.email);
    expect(emails, 'what came after the backup is gone').not.toContain(after.email);
    expect((await server.client().post('/api/auth/sign-in/email', { email: before.email, password: before.password })).status).toBe(200);
    const kept = new SqliteDatabase(keptAs, { readonly: true });
    try {
      expect(
        (kept.prepare('select email from users').all() as Array<{ email: string }>).map((row) => row.email),
        'the replaced database is whole',
      ).toContain(after.email);
    } finally {
      kept.close();
    }
  });

  it('refuses a file that is not an Allot backup, and changes nothing', async () => {
    const file = path.join(tempDir(), 'allot.db');
    const notABackup = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(notABackup, 'hello');
    const result = await cli(['restore', notABackup], environmentFor(`sqlite:${file}`));
    expect(result.code).toBe(1);
    expect(result.err).toContain('not an SQLite database');
    expect(fs.existsSync(file)).toBe(false);
    expect((await cli(['restore'], environmentFor(`sqlite:${file}`))).code).toBe(2);
  });

  it('prints the pg_restore command for PostgreSQL', async () => {
    const result = await cli(['restore', '/backups/allot.dump'], environmentFor('postgres://allot@db.internal:5432/allot'));
    expect(result.code).toBe(0);
    expect(result.out).toContain('pg_restore --clean --if-exists');
    expect(result.out).toContain('/backups/allot.dump');
  });
});

describe('allot backup on postgres (postgres only)', () => {
  it('prints the pg_dump command for the configured database instead of copying', async () => {
    const connectionString = 'postgres://allot@db.internal:5432/allot?options=-c+search_path%3Dallot';
    const file = path.join(tempDir(), 'allot.dump');
    const result = await cli(['backup', file], environmentFor(connectionString));
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('pg_dump');
    expect(result.out).toContain(connectionString);
    expect(result.out).toContain(file);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('allot CLI usage errors', () => {
  // Points at a database that does not exist, to show that a usage error touches nothing.
  const untouched = () => {
    const file = path.join(tempDir(), 'never-created.db');
    return { file, env: environmentFor(`sqlite:${file}`) };
  };

  it.each([
    { name: 'no --admin', args: ['--org', 'Acme'] },
    { name: 'an --admin that is not an email address', args: ['--org', 'Acme', '--admin', 'not-an-email'] },
    { name: '--admin without a value', args: ['--org', 'Acme', '--admin'] },
    { name: 'no --org', args: ['--admin', 'admin@acme.test'] },
  ])('setup with $name exits 2 without opening the database', async ({ args }) => {
    const { file, env } = untouched();
    const result = await cli(['setup', ...args], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--admin EMAIL');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('backup without a target file exits 2', async () => {
    const { file, env } = untouched();
    const result = await cli(['backup'], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('FILE');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('an unknown command exits 2 and prints the usage', async () => {
    const { env } = untouched();
    const result = await cli(['frobnicate'], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('Unknown command "frobnicate"');
    expect(result.err).toContain('Usage: allot <command>');
    expect(result.err).toMatch(/migrate[\s\S]*setup[\s\S]*backup/);
  });
});

describe.each(DIALECTS)('allot CLI for operators on %s', (dialect) => {
  it('creates an operator token that places orders over the API, stored only as a hash', async (context) => {
    const testDatabase = await freshDatabase(context, dialect);
    const env = environmentFor(databaseUrlOf(testDatabase));
    expect((await cli(['setup', '--org', 'Acme', '--admin', 'it@acme.test'], env)).code).toBe(0);
    const created = await cli(['tokens', 'create', '--operator', '--name', 'billing'], env);
    expect(created.code, created.err).toBe(0);
    const token = created.out.split('\n').find((line) => line.startsWith('allot_'))!;
    expect(token).toMatch(/^allot_[A-Za-z0-9_-]{43}$/);

    const database = testDatabase.open();
    try {
      const stored = await database.db.selectFrom('api_tokens').select(['name', 'token_hash']).execute();
      expect(stored).toEqual([{ name: 'billing', token_hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
      expect(stored[0]!.token_hash).not.toContain(token.slice(6));
    } finally {
      await database.close();
    }
    expect((await cli(['tokens', 'create'], env)).code).toBe(2);
  });

  it('lists operator tokens and revokes one, effective at its next request, with audit events', async (context) => {
    const testDatabase = await freshDatabase(context, dialect);
    const env = environmentFor(databaseUrlOf(testDatabase));
    const created = await cli(['tokens', 'create', '--operator', '--name', 'billing'], env);
    const token = created.out.split('\n').find((line) => line.startsWith('allot_'))!;
    const server = await startTestServer({ dialect, testDatabase });
    context.onTestFinished(() => server.close());
    const bearer = { authorization: `Bearer ${token}` };
    expect((await server.client().get('/api/v1/orders', { headers: bearer })).status).toBe(200);

    const listed = await cli(['tokens', 'list'], env);
    expect(listed.code).toBe(0);
    const [id] = listed.out.split(/\s+/);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(listed.out).toMatch(/operator {2}"billing" {2}created \S+ {2}last used /);
    expect(listed.out).not.toContain(token);

    const revoked = await cli(['tokens', 'revoke', id!], env);
    expect(revoked.code, revoked.err).toBe(0);
    expect((await server.client().get('/api/v1/orders', { headers: bearer })).status).toBe(401);
    expect((await cli(['tokens', 'list'], env)).out).toContain('REVOKED');
    expect((await cli(['tokens', 'revoke', id!], env)).code, 'a revoked token cannot be revoked again').toBe(1);
    expect((await cli(['tokens', 'revoke', 'not-an-id'], env)).code).toBe(2);
    const actions = (await server.database.db.selectFrom('audit_events').select('action').where('target_type', '=', 'api_token').orderBy('id').execute()).map(
      (row) => row.action,
    );
    expect(actions).toEqual(['api_token.created', 'api_token.revoked']);
  });

  it('lists the outbox and prints a waiting message for an instance without SMTP', async (context) => {
    const testDatabase = await freshDatabase(context, dialect);
    const env = environmentFor(databaseUrlOf(testDatabase));
    const server = await startTestServer({ dialect, testDatabase });
    context.onTestFinished(() => server.close());
    const email = uniqueEmail('no-smtp');
    await signUp(server.client(), { email });
    const listed = await cli(['mail', 'list'], env);
    const line = listed.out.split('\n').find((row) => row.includes(email))!;
    expect(line).toMatch(/^\d+ {2}pending {2}/);
    const shown = await cli(['mail', 'show', line.split(' ')[0]!], env);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('Subject: Verify your email address');
    expect(shown.out).toContain(`${server.baseUrl}/api/auth/verify-email?token=`);
  });

  it('imports orders from CSV, reports each line, and changes nothing when run again', async (context) => {
    const testDatabase = await freshDatabase(context, dialect);
    const env = environmentFor(databaseUrlOf(testDatabase));
    expect((await cli(['setup', '--org', 'Acme Corp', '--admin', 'it@acme.test'], env)).code).toBe(0);
    const database = testDatabase.open();
    try {
      await database.db.insertInto('products').values({ id: '00000000-0000-4000-8000-000000000001', code: 'IIU', name: 'IntelliJ IDEA Ultimate' }).execute();
    } finally {
      await database.close();
    }
    const file = path.join(tempDir(), 'orders.csv');
    fs.writeFileSync(
      file,
      'reference,organization,product,quantity,valid_until,team,renews\n' +
        'A-1,Acme Corp,IIU,3,2030-01-31,,\n' +
        'A-2,Acme Corp,IIU,2,2030-01-31,"Platform, Berlin",\n' +
        'A-3,Nobody Inc,IIU,1,2030-01-31,,\n' +
        'A-4,Acme Corp,IIU,5,2031-01-31,,A-1\n',
    );
    const first = await cli(['orders', 'import', file], env);
    expect(first.code, 'a failed line makes the exit code 1').toBe(1);
    expect(first.out).toContain('line 2 A-1: created');
    expect(first.out).toContain('line 3 A-2: created');
    expect(first.out).toMatch(/line 4 A-3: failed — no organization "Nobody Inc"/);
    expect(first.out).toContain('line 5 A-4: created');
    expect(first.out).toContain('3 of 4 orders imported (3 new).');

    const again = await cli(['orders', 'import', file], env);
    expect(again.out).toContain('line 2 A-1: unchanged');
    const check = testDatabase.open();
    try {
      const teams = await check.db.selectFrom('teams').select('name').orderBy('name').execute();
      expect(teams.map((t) => t.name)).toEqual(['Order A-1', 'Platform, Berlin']);
      const licenses = await check.db.selectFrom('licenses').select(['valid_until']).execute();
      expect(licenses).toHaveLength(3 + 2 + 2);
    } finally {
      await check.close();
    }
  });

  it('adds an operator by email, pending until the address is verified', async (context) => {
    const testDatabase = await freshDatabase(context, dialect);
    const env = environmentFor(databaseUrlOf(testDatabase));
    const added = await cli(['operators', 'add', 'ops@acme.test'], env);
    expect(added.code).toBe(0);
    expect(added.out).toContain('becomes an operator once');
    const database = testDatabase.open();
    try {
      expect(await database.db.selectFrom('pending_grants').select(['email', 'operator']).execute()).toEqual([
        { email: 'ops@acme.test', operator: expect.anything() },
      ]);
    } finally {
      await database.close();
    }
  });
});
