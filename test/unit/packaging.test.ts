import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config.js';

/**
 * No Docker engine runs here, so the image is not built in the suite; what can be checked without
 * one is checked: the files parse, name only variables the server reads, and keep the promises
 * (non-root, health on /readyz, a data volume for the embedded database).
 */
const read = (file: string) => fs.readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

describe('packaging', () => {
  it('compose.yaml runs the app beside PostgreSQL, with variables the config schema reads and no default secrets', () => {
    const compose = parse(read('compose.yaml')) as {
      services: Record<
        string,
        {
          environment?: Record<string, string>;
          depends_on?: Record<string, { condition: string }>;
          healthcheck?: { test: string[] };
          volumes?: string[];
          build?: string;
        }
      >;
      volumes: Record<string, unknown>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'db']);
    const app = compose.services.app!;
    expect(app.build).toBe('.');
    const names = Object.keys(app.environment ?? {});
    expect(
      names.filter((name) => !(CONFIG_VARIABLES as string[]).includes(name)),
      'variables the server does not read',
    ).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['DATABASE_URL', 'AUTH_SECRET', 'BASE_URL', 'SMTP_URL']));
    // Secrets have no default: compose refuses to start until they are set.
    expect(app.environment!.AUTH_SECRET).toMatch(/^\$\{AUTH_SECRET:\?/);
    expect(app.environment!.DATABASE_URL).toMatch(/^postgres:\/\/allot:\$\{POSTGRES_PASSWORD:\?[^}]*\}@db:5432\/allot$/);
    expect(compose.services.db!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(app.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(compose.services.db!.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(app.volumes).toContain('allot-data:/data');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['allot-data', 'allot-postgres']));
  });

  it('the Dockerfile builds in one stage and runs as a non-root user in another, healthy when /readyz is', () => {
    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages.at(-1)!;
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/DATA_DIR=\/data/);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/^CMD \["node", "--enable-source-maps", "dist\/main\.js"\]$/m);
    // What the runtime stage copies is what `npm run build` writes.
    const copied = [...runtime.matchAll(/^COPY --from=build \/app\/(\S+)/gm)].map((match) => match[1]);
    expect(copied).toEqual(expect.arrayContaining(['dist', 'web/dist', 'node_modules', 'package.json', 'packages/contract/dist']));
    const build = JSON.parse(read('package.json')).scripts.build as string;
    expect(build).toContain('build:contract');
    expect(build).toContain('build:server');
    expect(build).toContain('build:web');
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data', '.env']));
  });

  it('the README documents every variable the server reads', () => {
    const readme = read('README.md');
    const undocumented = CONFIG_VARIABLES.filter((name) => !readme.includes(`| \`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
