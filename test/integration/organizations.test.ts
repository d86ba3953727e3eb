import { describe, expect, it } from 'vitest';
import { cliActor } from '../../src/modules/access/actor.js';
import { uniqueEmail } from '../support/accounts.js';
import { makeOperator, signedInUser, useConsoleServer } from '../support/console.js';
import { DIALECTS } from '../support/databases.js';

describe.each(DIALECTS)('organizations and the product catalog on %s', (dialect) => {
  const f = useConsoleServer(dialect);

  it('lets operators manage the product catalog and organizations', async () => {
    const operator = await signedInUser(f.server);
    await makeOperator(f.server, operator.userId);
    const created = await operator.client.post('/api/v1/products', { code: `CLION${dialect}`, name: 'CLion' });
    expect(created.status).toBe(201);
    expect((await operator.client.post('/api/v1/products', { code: `CLION${dialect}`, name: 'Again' })).body.code).toBe('PRODUCT_CODE_TAKEN');
    expect((await f.admin.post('/api/v1/products', { code: 'X', name: 'X' })).status).toBe(403);
    const org = await operator.client.post('/api/v1/organizations', { name: 'Initech', adminEmail: uniqueEmail('initech') });
    expect(org.status).toBe(201);
    const listed = await operator.client.get('/api/v1/organizations');
    expect(listed.body.items.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['Initech', 'Acme Robotics']));
    expect((await f.admin.get('/api/v1/organizations')).body.items).toEqual([{ id: f.organization.id, name: 'Acme Robotics', access: 'admin' }]);
    expect(cliActor.isOperator).toBe(true);
  });
});
