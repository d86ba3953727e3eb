import { z } from 'zod';

export const jwks = z.object({ keys: z.array(z.looseObject({ kid: z.string().optional(), kty: z.string().optional() })) });
export const rotation = z.object({ kid: z.string(), retired: z.array(z.string()) });
