import { renderMessage } from './templates.js';

/** "Friday, 1 January 2027": an ending date people read in their inbox (UTC: the day the license ends everywhere). */
const longDate = (instant: Date) => instant.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

const inDays = (days: number) => (days === 1 ? 'tomorrow' : `in ${days} days`);

const SETTINGS_FOOTER = 'You get this as an administrator. Turn these emails off under Settings → Notifications.';

/** The seat lifecycle's messages: expiry notices, low-seat alerts, idle-seat warnings and releases, given-back seats. */
export const seatTemplates = {
  expiryNoticeToAdmin: (input: {
    organizationName: string;
    teamName: string;
    productName: string;
    seats: number;
    assigned: number;
    validUntil: Date;
    daysLeft: number;
    url: string;
  }) =>
    renderMessage({
      subject: `${input.productName} licenses of ${input.teamName} end ${inDays(input.daysLeft)}`,
      greeting: 'Hello,',
      paragraphs: [
        `${input.seats} ${input.productName} license${input.seats === 1 ? '' : 's'} of ${input.organizationName} (team ${input.teamName}) end on ${longDate(input.validUntil)}; ${input.assigned} ${input.assigned === 1 ? 'is' : 'are'} in use.`,
        'Renew the order before then, or the people who hold them lose their product.',
        { button: 'Open the licenses', url: input.url },
      ],
      footer: SETTINGS_FOOTER,
    }),

  expiryNoticeToHolder: (input: { name: string | null; productName: string; organizationName: string; validUntil: Date; url: string }) =>
    renderMessage({
      subject: `Your ${input.productName} license ends on ${longDate(input.validUntil)}`,
      greeting: input.name ? `Hello ${input.name},` : 'Hello,',
      paragraphs: [
        `Your ${input.productName} license from ${input.organizationName} ends on ${longDate(input.validUntil)}. If ${input.organizationName} renews it, nothing changes for you; if you still need it, tell your license administrator.`,
        { button: 'Open my licenses', url: input.url },
      ],
    }),

  lowSeats: (input: { organizationName: string; teamName: string; productName: string; free: number; total: number; url: string }) =>
    renderMessage({
      subject:
        input.free === 0
          ? `No ${input.productName} licenses left in ${input.teamName}`
          : `${input.free} ${input.productName} licenses left in ${input.teamName}`,
      greeting: 'Hello,',
      paragraphs: [
        input.free === 0
          ? `All ${input.total} ${input.productName} licenses of ${input.organizationName} (team ${input.teamName}) are taken: the next person who claims one will see "No assets left".`
          : `Only ${input.free} of ${input.total} ${input.productName} licenses of ${input.organizationName} (team ${input.teamName}) are free.`,
        'Order more, or revoke licenses from people who no longer need them. You get this once each time the free seats fall to the threshold in Settings.',
        { button: 'Open the licenses', url: input.url },
      ],
      footer: SETTINGS_FOOTER,
    }),

  idleWarning: (input: { name: string | null; productName: string; organizationName: string; idleDays: number; releaseOn: Date; keepUrl: string }) =>
    renderMessage({
      subject: `Do you still use ${input.productName}?`,
      greeting: input.name ? `Hello ${input.name},` : 'Hello,',
      paragraphs: [
        `Your ${input.productName} license from ${input.organizationName} has not been used for ${input.idleDays} days. ${input.organizationName} gives idle licenses to people who need them: yours will be released on ${longDate(input.releaseOn)}.`,
        'If you still use it, say so on your account page and you keep it. Using the product also keeps it.',
        { button: 'I still use it', url: input.keepUrl },
      ],
    }),

  idleReleased: (input: { name: string | null; productName: string; organizationName: string; url: string }) =>
    renderMessage({
      subject: `Your ${input.productName} license was released`,
      greeting: input.name ? `Hello ${input.name},` : 'Hello,',
      paragraphs: [
        `Your ${input.productName} license from ${input.organizationName} was not used for a long time, so it went back to the organization for someone else. If you need it again, claim it again or ask your license administrator.`,
        { button: 'Open my licenses', url: input.url },
      ],
    }),

  givenBack: (input: { holder: string; productName: string; organizationName: string; teamName: string; url: string }) =>
    renderMessage({
      subject: `${input.holder} gave back a ${input.productName} license`,
      greeting: 'Hello,',
      paragraphs: [
        `${input.holder} no longer needs their ${input.productName} license of ${input.organizationName} (team ${input.teamName}); it is free again.`,
        { button: 'Open the licenses', url: input.url },
      ],
    }),
};
