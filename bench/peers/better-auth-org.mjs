// The peer: Better Auth's organization plugin on Fastify and SQLite, with the durability Allot
// uses (WAL, synchronous=FULL). Its accept-invitation is the operation Allot's claim replaces.
// Env: PORT, DATABASE_FILE, SECRET, SEED_USERS (people, each with a pending invitation), SEED_OUT
// (where the cookies and invitation ids are written for the load generator).
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { organization } from 'better-auth/plugins';
import Fastify from 'fastify';

const port = Number(process.env.PORT);
const secret = process.env.SECRET;
const baseURL = `http://127.0.0.1:${port}`;
const sqlite = new Database(process.env.DATABASE_FILE);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = FULL');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('busy_timeout = 5000');

const options = {
  baseURL,
  secret,
  database: sqlite,
  emailAndPassword: { enabled: true },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { level: 'error' },
  // No cap on members: every accept in the run must succeed, as every Allot claim does.
  plugins: [organization({ membershipLimit: 10_000_000 })],
};
const auth = betterAuth(options);
const { runMigrations } = await getMigrations(options);
await runMigrations();

/** People with sessions and a pending invitation each, written straight to the tables (no password hashing). */
function seed(count) {
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const ownerId = randomUUID();
  const organizationId = randomUUID();
  const insertUser = sqlite.prepare('insert into user (id, name, email, emailVerified, createdAt, updatedAt) values (?, ?, ?, 1, ?, ?)');
  const insertSession = sqlite.prepare('insert into session (id, token, userId, expiresAt, createdAt, updatedAt) values (?, ?, ?, ?, ?, ?)');
  const insertInvitation = sqlite.prepare(
    "insert into invitation (id, organizationId, email, role, status, expiresAt, inviterId, createdAt) values (?, ?, ?, 'member', 'pending', ?, ?, ?)",
  );
  const people = [];
  sqlite.transaction(() => {
    insertUser.run(ownerId, 'Owner', 'owner@peer.test', now, now);
    sqlite.prepare('insert into organization (id, name, slug, createdAt) values (?, ?, ?, ?)').run(organizationId, 'Peer Org', 'peer-org', now);
    sqlite
      .prepare("insert into member (id, organizationId, userId, role, createdAt) values (?, ?, ?, 'owner', ?)")
      .run(randomUUID(), organizationId, ownerId, now);
    for (let index = 0; index < count; index++) {
      const userId = randomUUID();
      const email = `peer-${index}@peer.test`;
      const token = randomBytes(24).toString('base64url');
      insertUser.run(userId, `Peer ${index}`, email, now, now);
      insertSession.run(randomUUID(), token, userId, expires, now, now);
      const invitationId = randomUUID();
      insertInvitation.run(invitationId, organizationId, email, expires, ownerId, now);
      const signature = createHmac('sha256', secret).update(token).digest('base64');
      people.push({ cookie: `better-auth.session_token=${encodeURIComponent(`${token}.${signature}`)}`, invitationId });
    }
  })();
  return people;
}
if (process.env.SEED_USERS) fs.writeFileSync(process.env.SEED_OUT, JSON.stringify(seed(Number(process.env.SEED_USERS))));

const app = Fastify({ logger: false });
// Better Auth's Fastify recipe: a Fetch Request built from the Node one.
app.route({
  method: ['GET', 'POST'],
  url: '/api/auth/*',
  async handler(request, reply) {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.append(name, String(value));
    const response = await auth.handler(
      new Request(new URL(request.url, baseURL), { method: request.method, headers, ...(request.body ? { body: JSON.stringify(request.body) } : {}) }),
    );
    reply.status(response.status);
    response.headers.forEach((value, name) => reply.header(name, value));
    return reply.send(response.body ? await response.text() : null);
  },
});
app.get('/healthz', async () => ({ status: 'ok' }));
const address = await app.listen({ port, host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
