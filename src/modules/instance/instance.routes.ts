import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { instanceReply } from '@allot/contract/instance';
import type { SetupService } from '../setup/setup.service.js';

/** Facts the sign-in pages need before anyone is signed in; nothing here is secret. */
export function instanceRoutes(deps: { setup: Pick<SetupService, 'isSetupRequired'>; mailMode: 'smtp' | 'dev-mailbox' | 'log-only' }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/instance', {
      schema: { tags: ['instance'], summary: 'Public facts about this Allot instance', response: { 200: instanceReply } },
      handler: async () => ({ name: 'Allot', setupRequired: await deps.setup.isSetupRequired(), mailMode: deps.mailMode }),
    });
  };
}
