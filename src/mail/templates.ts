/** A rendered message, ready for the outbox. */
export type MailContent = { subject: string; text: string; html: string };

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

type Paragraph = string | { button: string; url: string };

/**
 * One layout for every message: a plain-text body that reads well on its own, and a simple HTML
 * body with inline styles (mail clients ignore style sheets).
 */
export function renderMessage({
  subject,
  greeting,
  paragraphs,
  footer,
}: {
  subject: string;
  greeting: string;
  paragraphs: Paragraph[];
  footer?: string;
}): MailContent {
  const textParts = [greeting, ...paragraphs.map((p) => (typeof p === 'string' ? p : `${p.button}: ${p.url}`))];
  if (footer) textParts.push(footer);
  textParts.push('— Allot');

  const htmlParts = paragraphs.map((p) =>
    typeof p === 'string'
      ? `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`
      : `<p style="margin:24px 0"><a href="${escapeHtml(p.url)}" style="background:#4c6ef5;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(p.button)}</a></p>` +
        `<p style="margin:0 0 16px;font-size:13px;color:#666">Or open this link: <a href="${escapeHtml(p.url)}">${escapeHtml(p.url)}</a></p>`,
  );
  const html = `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1a1b1e;background:#f8f9fa;padding:24px">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:32px;border:1px solid #e9ecef">
<p style="font-weight:700;font-size:18px;margin:0 0 24px">Allot</p>
<p style="margin:0 0 16px">${escapeHtml(greeting)}</p>
${htmlParts.join('\n')}
${footer ? `<p style="margin:24px 0 0;font-size:13px;color:#868e96">${escapeHtml(footer)}</p>` : ''}
</div></body></html>`;
  return { subject, text: textParts.join('\n\n'), html };
}

export const mailTemplates = {
  verifyEmail: ({ name, url }: { name: string; url: string }) =>
    renderMessage({
      subject: 'Verify your email address',
      greeting: `Hello ${name},`,
      paragraphs: ['Confirm that this is your email address to finish setting up your Allot account.', { button: 'Verify email address', url }],
      footer: 'The link works for 24 hours. If you did not create an account, you can ignore this message.',
    }),
  passwordReset: ({ name, url }: { name: string; url: string }) =>
    renderMessage({
      subject: 'Reset your password',
      greeting: `Hello ${name},`,
      paragraphs: ['Someone asked to reset the password of your Allot account.', { button: 'Choose a new password', url }],
      footer: 'The link works for one hour. If you did not ask for this, ignore this message: your password stays the same.',
    }),
  existingAccountNotice: ({ name, signInUrl, resetUrl }: { name: string; signInUrl: string; resetUrl: string }) =>
    renderMessage({
      subject: 'You already have an Allot account',
      greeting: `Hello ${name},`,
      paragraphs: [
        'Someone tried to create a new account with this email address, but you already have one.',
        { button: 'Sign in', url: signInUrl },
        `Forgot your password? Reset it here: ${resetUrl}`,
      ],
      footer: 'If this was not you, no action is needed.',
    }),
  appPasswordCreated: ({ name, appPasswordName, url }: { name: string; appPasswordName: string; url: string }) =>
    renderMessage({
      subject: 'A new app password was created',
      greeting: `Hello ${name},`,
      paragraphs: [
        `An app password named "${appPasswordName}" was just created for your Allot account. Products can activate with it in your name.`,
        { button: 'Review app passwords', url },
      ],
      footer: 'If this was not you, revoke it there and change your password.',
    }),
};

export const licenseTemplates = {
  licenseAssigned: ({
    name,
    productName,
    organizationName,
    url,
    hasAccount,
  }: {
    name: string | null;
    productName: string;
    organizationName: string;
    url: string;
    hasAccount: boolean;
  }) =>
    renderMessage({
      subject: `You have ${aOrAn(productName)} license`,
      greeting: name ? `Hello ${name},` : 'Hello,',
      paragraphs: hasAccount
        ? [`${organizationName} gave you ${aOrAn(productName)} license. It is on your account page now.`, { button: 'Open my licenses', url }]
        : [
            `${organizationName} gave you ${aOrAn(productName)} license. Create your Allot account with this email address to use it.`,
            { button: 'Create my account', url },
          ],
    }),
  licenseRevoked: ({ name, productName, organizationName, url }: { name: string | null; productName: string; organizationName: string; url: string }) =>
    renderMessage({
      subject: `Your ${productName} license was revoked`,
      greeting: name ? `Hello ${name},` : 'Hello,',
      paragraphs: [
        `${organizationName} revoked your ${productName} license. If you still need it, ask your license administrator.`,
        { button: 'Open my licenses', url },
      ],
    }),
  roleInvitation: ({
    organizationName,
    roleLabel,
    teamName,
    url,
    expiresAt,
  }: {
    organizationName: string;
    roleLabel: string;
    teamName: string | null;
    url: string;
    expiresAt: Date;
  }) =>
    renderMessage({
      subject: `You are invited to administer licenses of ${organizationName}`,
      greeting: 'Hello,',
      paragraphs: [
        `You are invited to be ${roleLabel}${teamName ? ` of the team ${teamName}` : ''} in ${organizationName} on Allot.`,
        { button: 'Accept the invitation', url },
      ],
      footer: `The link works once, until ${expiresAt.toUTCString()}.`,
    }),
};

/** "a CLion license", "an IntelliJ IDEA license". */
const aOrAn = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

export const invitationTemplates = {
  claimConfirmation: ({
    name,
    productName,
    organizationName,
    teamName,
    validUntil,
    url,
  }: {
    name: string;
    productName: string;
    organizationName: string;
    /** Null when the team's name is an internal order reference. */
    teamName: string | null;
    validUntil: Date;
    url: string;
  }) =>
    renderMessage({
      subject: `Your ${productName} license is ready`,
      greeting: `Hello ${name},`,
      paragraphs: [
        `You claimed ${aOrAn(productName)} license from ${organizationName}${teamName ? ` (team ${teamName})` : ''}. It is valid until ${validUntil.toUTCString().slice(5, 16)}.`,
        'Sign in to the product with your Allot account to activate it.',
        { button: 'Open my licenses', url },
      ],
    }),
  claimNotification: ({
    adminName,
    userName,
    userEmail,
    productName,
    invitationName,
    teamName,
    remaining,
    url,
  }: {
    adminName: string;
    userName: string;
    userEmail: string;
    productName: string;
    invitationName: string;
    teamName: string;
    remaining: number;
    url: string;
  }) =>
    renderMessage({
      subject: `${userName} claimed ${aOrAn(productName)} license`,
      greeting: `Hello ${adminName},`,
      paragraphs: [
        `${userName} (${userEmail}) claimed ${aOrAn(productName)} license through the invitation "${invitationName}" of team ${teamName}.`,
        remaining === 0
          ? 'That was the last free license: the next person will see "No assets left".'
          : `${remaining} free ${remaining === 1 ? 'license remains' : 'licenses remain'}.`,
        { button: 'Open the invitation', url },
      ],
      footer: 'You get this because you administer this team. Choose each claim, a daily digest or nothing in your notification settings.',
    }),
  waitingForLicenses: ({
    adminName,
    userName,
    userEmail,
    productName,
    invitationName,
    teamName,
    url,
  }: {
    adminName: string;
    userName: string;
    userEmail: string;
    productName: string;
    invitationName: string;
    teamName: string;
    url: string;
  }) =>
    renderMessage({
      subject: `${userName} is waiting for ${aOrAn(productName)} license`,
      greeting: `Hello ${adminName},`,
      paragraphs: [
        `${userName} (${userEmail}) opened the invitation "${invitationName}" of team ${teamName}, but no ${productName} license is free ("No assets left").`,
        'Add licenses with an order, move some to this team, or revoke licenses nobody uses.',
        { button: 'Open the invitation', url },
      ],
    }),
  claimDigest: ({ adminName, organizationName, lines, url }: { adminName: string; organizationName: string; lines: string[]; url: string }) =>
    renderMessage({
      subject: `${lines.length} ${lines.length === 1 ? 'license was' : 'licenses were'} claimed in ${organizationName}`,
      greeting: `Hello ${adminName},`,
      paragraphs: [`Claims through invitations since your last digest:`, lines.map((line) => `• ${line}`).join('\n'), { button: 'Open Allot', url }],
      footer: 'You get a daily digest because you chose it in your notification settings.',
    }),
};

export const webhookTemplates = {
  endpointDisabled: ({
    adminName,
    organizationName,
    url,
    reason,
    link,
  }: {
    adminName: string;
    organizationName: string;
    url: string;
    reason: string;
    link: string;
  }) =>
    renderMessage({
      subject: `A webhook of ${organizationName} was turned off`,
      greeting: `Hello ${adminName},`,
      paragraphs: [
        `Allot could not deliver events to ${url} for a day, so it turned the endpoint off. ${reason}`,
        'Events that happened meanwhile are in its delivery log. Fix the receiver, turn the endpoint on again, and redeliver what it missed.',
        { button: 'Open the webhook', url: link },
      ],
      footer: 'You get this email because you administer this organization.',
    }),
};
