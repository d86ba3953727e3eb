/**
 * @allot/contract: what the server, the web UI and @allot/client agree on. Schemas live in one
 * module per capability (`@allot/contract/licenses`, …); this entry point has what every client
 * needs: the error catalogue, audit actions, ticket claims, and the wire types of every answer.
 * Nothing here may import server code: it runs in browsers.
 */
export { errorCatalogue, type ErrorCode } from './errors.js';
export { auditActions, type AuditAction } from './audit-actions.js';
export type { LicenseTicketClaims, SignedLicenseTicketClaims } from './license-ticket.js';
export * from './wire.js';
