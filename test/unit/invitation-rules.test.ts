import { describe, expect, it } from 'vitest';
import { claimEmailDelivery, claimEmailRecipients } from '../../src/modules/invitations/claim-emails.js';
import { claimerTeamName, invitationRules, invitationStatus, type InvitationsDeps } from '../../src/modules/invitations/invitation-rules.js';
import type { Invitation } from '../../src/modules/invitations/invitations.repository.js';

const now = new Date('2030-06-01T12:00:00Z');
const invitation = (changes: Partial<Invitation> = {}): Invitation => ({
  id: 'i',
  organizationId: 'o',
  organizationName: 'Acme',
  teamId: 't',
  teamName: 'Team',
  teamNamedAfterOrder: false,
  productId: 'p',
  productCode: 'P',
  productName: 'Product',
  name: null,
  tokenNonce: 'n',
  enabled: true,
  expiresAt: null,
  allowedDomains: [],
  maxClaims: null,
  claims: 0,
  createdByUserId: 'creator',
  createdAt: now,
  updatedAt: now,
  requireTwoFactor: 'off',
  twoFactorGraceUntil: null,
  ...changes,
});
const rules = invitationRules({ clock: { now: () => now }, baseUrl: 'https://licenses.example.com', secret: 's'.repeat(40) } as unknown as InvitationsDeps);
const person = { id: 'u', name: 'Pat', email: 'pat@acme.com', emailVerified: true, twoFactorEnabled: false };

describe('invitation rules', () => {
  it('names the status: turned off first, then expired, then used up', () => {
    expect(invitationStatus(invitation(), now)).toBe('active');
    expect(invitationStatus(invitation({ enabled: false, expiresAt: new Date('2030-01-01') }), now)).toBe('disabled');
    expect(invitationStatus(invitation({ expiresAt: now }), now)).toBe('expired');
    expect(invitationStatus(invitation({ maxClaims: 3, claims: 3 }), now)).toBe('exhausted');
    expect(invitationStatus(invitation({ maxClaims: 3, claims: 2 }), now)).toBe('active');
  });

  it('lets a verified address of an allowed domain claim, and tells everyone else why not', () => {
    expect(() => rules.assertClaimable(invitation({ allowedDomains: ['acme.com'] }), person)).not.toThrow();
    expect(() => rules.assertClaimable(invitation({ allowedDomains: ['*.acme.com'] }), { ...person, email: 'pat@eu.acme.com' })).not.toThrow();
    expect(() => rules.assertClaimable(invitation({ allowedDomains: ['other.com'] }), person)).toThrow(
      expect.objectContaining({ code: 'EMAIL_DOMAIN_NOT_ALLOWED' }),
    );
    expect(() => rules.assertClaimable(invitation(), { ...person, emailVerified: false })).toThrow(expect.objectContaining({ code: 'EMAIL_NOT_VERIFIED' }));
    expect(() => rules.assertClaimable(invitation({ enabled: false }), person)).toThrow(expect.objectContaining({ code: 'INVITATION_DISABLED' }));
  });

  it('asks for 2FA when the organization requires it of everyone, once the grace period is over', () => {
    const later = new Date(now.getTime() + 86_400_000);
    const earlier = new Date(now.getTime() - 1);
    expect(() => rules.assertClaimable(invitation({ requireTwoFactor: 'everyone' }), person)).toThrow(
      expect.objectContaining({ code: 'TWO_FACTOR_ENROLMENT_REQUIRED' }),
    );
    expect(() => rules.assertClaimable(invitation({ requireTwoFactor: 'everyone', twoFactorGraceUntil: earlier }), person)).toThrow(
      expect.objectContaining({ code: 'TWO_FACTOR_ENROLMENT_REQUIRED' }),
    );
    expect(() => rules.assertClaimable(invitation({ requireTwoFactor: 'everyone', twoFactorGraceUntil: later }), person)).not.toThrow();
    expect(() => rules.assertClaimable(invitation({ requireTwoFactor: 'everyone' }), { ...person, twoFactorEnabled: true })).not.toThrow();
    // 'admins' covers the console, not claimers.
    expect(() => rules.assertClaimable(invitation({ requireTwoFactor: 'admins' }), person)).not.toThrow();
  });

  it('builds the link from the public URL, never from the request', () => {
    expect(rules.linkFor({ id: 'i', tokenNonce: 'n' })).toMatch(/^https:\/\/licenses\.example\.com\/invite\/[A-Za-z0-9_-]{43}$/);
  });

  it('hides a team name that is only an order reference from claimers', () => {
    expect(claimerTeamName(invitation())).toBe('Team');
    expect(claimerTeamName(invitation({ teamName: 'PO-2026-17', teamNamedAfterOrder: true }))).toBeNull();
  });
});

describe('claim emails: one rule', () => {
  it('by default mails whoever created the invitation and the team administrators, each claim; nobody else', () => {
    expect(claimEmailDelivery('mine', { createdInvitation: true, teamAdmin: false })).toBe('each');
    expect(claimEmailDelivery('mine', { createdInvitation: false, teamAdmin: true })).toBe('each');
    expect(claimEmailDelivery('mine', { createdInvitation: false, teamAdmin: false })).toBeNull();
  });

  it('lets a chosen mode win over the default, for every team the person manages', () => {
    expect(claimEmailDelivery('each', { createdInvitation: false, teamAdmin: false })).toBe('each');
    expect(claimEmailDelivery('digest', { createdInvitation: true, teamAdmin: true })).toBe('digest');
    expect(claimEmailDelivery('off', { createdInvitation: true, teamAdmin: true })).toBeNull();
  });

  it('names each recipient and why they get the email', () => {
    const admin = (userId: string, storedChoice: 'each' | 'digest' | 'off' | null, teamAdmin = false) => ({ userId, storedChoice, teamAdmin });
    const recipients = claimEmailRecipients(
      [admin('creator', null), admin('lead', null, true), admin('other', null), admin('watcher', 'digest'), admin('quiet', 'off', true)],
      { createdByUserId: 'creator' },
    );
    expect(recipients.map(({ userId, delivery, reason }) => [userId, delivery, reason])).toEqual([
      ['creator', 'each', 'created'],
      ['lead', 'each', 'team_admin'],
      ['watcher', 'digest', 'chose'],
    ]);
  });
});
