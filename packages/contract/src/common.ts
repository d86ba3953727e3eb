import { z } from 'zod';

/**
 * An instant: an ISO-8601 string on the wire, a Date in the server's code. The server's answers
 * encode Dates with it; clients read the string (z.input) and may decode it.
 */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

export const organizationParams = z.object({ organizationId: z.uuid() });
export const teamParams = z.object({ teamId: z.uuid() });

/** The body of every error answer; the web UI reads `code` and shows `message`. */
export const errorBody = z
  .object({
    code: z.string().describe('A code from the error catalogue, e.g. NO_ASSETS_LEFT'),
    message: z.string(),
    requestId: z.string(),
    fields: z.record(z.string(), z.string()).optional().describe('VALIDATION_FAILED: message per field path'),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('Error');

/** The reply schema of a 204. */
export const noContent = z.undefined().describe('No content');
