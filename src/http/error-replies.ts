import { z } from 'zod';

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

export const errorReplies = { '4xx': errorBody, '5xx': errorBody } as const;

/** The reply schema of a 204. */
export const noContent = z.undefined().describe('No content');
