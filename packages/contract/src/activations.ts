import { z } from 'zod';
import { timestamp } from './common.js';

const email = z.string().trim().min(3).max(254);
const machine = {
  machineId: z.string().trim().min(1).max(200).describe('Any stable string that identifies the machine'),
  machineName: z.string().trim().min(1).max(200).optional().describe('Shown to the person on their account page'),
  productVersion: z.string().trim().min(1).max(50).optional(),
};

export const credentials = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password'), email, password: z.string().min(1).max(256) }),
  z.object({ method: z.literal('app_password'), email, appPassword: z.string().min(1).max(256) }),
  z.object({ method: z.literal('device_code'), deviceCode: z.string().min(1).max(256) }),
]);

export const activateBody = z.object({ productCode: z.string().trim().min(1).max(100), ...machine, credentials });

export const refreshBody = z.union([
  z.object({ refreshToken: z.string().min(1).max(256), productVersion: machine.productVersion }),
  z.object({ offlineCode: z.string().min(1).max(8192), productVersion: machine.productVersion }),
]);

export const issuedTicket = z.object({
  ticket: z.string().describe('Compact JWS (EdDSA) — verify it against /.well-known/jwks.json'),
  kid: z.string(),
  expiresAt: timestamp,
  refreshToken: z.string().nullable().describe('Keep it secret; send it to /activations/refresh before the ticket expires'),
  activationId: z.string(),
  license: z.object({ id: z.string(), productCode: z.string(), productName: z.string(), organizationName: z.string(), validUntil: timestamp }),
  licensee: z.object({ email: z.string(), name: z.string() }),
});

export const startDeviceBody = z.object({ productCode: z.string().trim().min(1).max(100), machineId: machine.machineId, machineName: machine.machineName });

export const deviceAuthorizationStart = z.object({
  deviceCode: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string(),
  expiresIn: z.number().int(),
  interval: z.number().int(),
});

export const userCodeParams = z.object({ userCode: z.string().trim().min(4).max(20) });

export const deviceAuthorizationDetails = z.object({
  productCode: z.string(),
  productName: z.string(),
  machineId: z.string(),
  machineName: z.string().nullable(),
  expiresAt: timestamp,
  holdsLicense: z.boolean(),
  licenseState: z.enum(['ready', 'none', 'expired', 'machines_full']).describe('Whether approving will activate the product, and if not, why'),
});

export const deviceDecisionBody = z.object({ decision: z.enum(['approve', 'deny']) });

export const myMachine = z.object({
  id: z.string(),
  licenseId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  machineId: z.string(),
  machineName: z.string().nullable(),
  productVersion: z.string().nullable(),
  kind: z.enum(['online', 'offline']),
  firstSeenAt: timestamp,
  lastSeenAt: timestamp,
  ticketExpiresAt: timestamp,
});

export const myMachineList = z.object({ items: z.array(myMachine) });
export const licenseMachineList = z.object({ items: z.array(myMachine.omit({ productCode: true, productName: true })) });
export const machineParams = z.object({ id: z.uuid() });
export const licenseParams = z.object({ licenseId: z.string().min(1).max(100) });
export const offlineCodeBody = z.object({ machineId: machine.machineId, machineName: machine.machineName });
