import { z } from 'zod';
import { timestamp } from './common.js';

export const mailboxReply = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      to: z.string(),
      subject: z.string(),
      text: z.string(),
      html: z.string().nullable(),
      status: z.enum(['pending', 'sent', 'failed']),
      createdAt: timestamp,
    }),
  ),
});
