import { z } from 'zod';

export const noticePreferences = z.object({
  expiry: z.boolean().describe('Emails 30, 7 and 1 days before licenses of my teams end'),
  lowSeats: z.boolean().describe("An email when a pool's free seats fall to the organization's threshold"),
});
export const noticePreferencesBody = noticePreferences.partial();
export const heldLicenseParams = z.object({ licenseId: z.string().regex(/^[0-9A-Z]{10}$/, 'Not a license id') });
