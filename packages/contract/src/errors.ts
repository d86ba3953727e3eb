/**
 * The one catalogue of error codes. Every module throws AppError with one of these codes;
 * http/error-handler.ts is the only place that turns them into HTTP answers, and the web UI
 * switches on the same codes (this package is what they share).
 */
export const errorCatalogue = {
  /** A request body, query or parameter failed its schema. */
  VALIDATION_FAILED: { status: 400, message: 'Some fields are invalid.' },
  /** No valid session or API token came with the request. */
  UNAUTHENTICATED: { status: 401, message: 'Sign in to continue.' },
  /** The caller may see the resource but not change it. */
  FORBIDDEN: { status: 403, message: 'You do not have permission to do this.' },
  /** A state-changing request came from another origin. */
  CSRF_REJECTED: { status: 403, message: 'This request did not come from this site.' },
  /** The resource does not exist, or belongs to someone the caller cannot see. */
  NOT_FOUND: { status: 404, message: 'Not found.' },
  /** The first-run setup link is wrong, already used, or setup is finished. */
  SETUP_TOKEN_INVALID: { status: 404, message: 'This setup link is invalid or has already been used.' },
  /** The instance already has an organization, so first-run setup is closed. */
  SETUP_ALREADY_DONE: { status: 409, message: 'This instance is already set up.' },
  /** No free license of this product is left in the team. */
  NO_ASSETS_LEFT: { status: 409, message: 'No assets left' },
  /** The organization's "minimum days before revoke" has not passed for these licenses. */
  RECENTLY_ASSIGNED: { status: 409, message: 'Some of these licenses were assigned too recently to be revoked.' },
  /** The address already holds a license of this product in this organization. */
  LICENSE_ALREADY_HELD: { status: 409, message: 'This person already has a license for this product.' },
  /** A line of a pasted list is not an email address. */
  INVALID_EMAIL: { status: 400, message: 'This is not a valid email address.' },
  /** Another product already uses this code. */
  PRODUCT_CODE_TAKEN: { status: 409, message: 'A product with this code already exists.' },
  /** The order names a product code that is not in the catalog. */
  PRODUCT_NOT_FOUND: { status: 404, message: 'No product with this code exists.' },
  /** The organization already has a team with this name. */
  TEAM_NAME_TAKEN: { status: 409, message: 'A team with this name already exists.' },
  /** Teams with licenses cannot be deleted. */
  TEAM_NOT_EMPTY: { status: 409, message: "Move or delete this team's licenses first." },
  /** The same order reference was posted before with different contents. */
  ORDER_REFERENCE_CONFLICT: { status: 409, message: 'An order with this reference already exists with different details.' },
  /** A renewal must name an earlier order of the same organization and product. */
  RENEWAL_MISMATCH: { status: 409, message: 'A renewal must reference an earlier order of the same organization and product.' },
  /** Licenses can only move between teams of one organization that the caller manages. */
  TRANSFER_TARGET_INVALID: { status: 409, message: 'Licenses can only move to another team of the same organization that you manage.' },
  /** The organization must keep at least one administrator. */
  LAST_ORG_ADMIN: { status: 409, message: 'An organization needs at least one administrator.' },
  /** The admin invitation link is unknown, used, revoked or expired. */
  ROLE_INVITATION_INVALID: { status: 404, message: 'This invitation link is invalid, has expired or was already used.' },
  /** The admin invitation was sent to another address than the signed-in account's. */
  ROLE_INVITATION_EMAIL_MISMATCH: { status: 403, message: 'This invitation was sent to another email address. Sign in with that address to accept it.' },
  /** The invitation link is unknown, was regenerated or deleted, or is malformed. */
  INVITATION_NOT_FOUND: {
    status: 404,
    message: 'This invitation link does not exist. It may have been replaced or deleted: ask your administrator for a new one.',
  },
  /** The invitation's active period is over. */
  INVITATION_EXPIRED: { status: 410, message: 'This invitation has expired. Ask your administrator for a new link.' },
  /** An admin turned the link off. */
  INVITATION_DISABLED: { status: 410, message: 'This invitation is turned off. Ask your administrator to turn it back on.' },
  /** The invitation reached its maximum number of claims. */
  INVITATION_EXHAUSTED: { status: 410, message: 'This invitation has been used as many times as allowed.' },
  /** The person already used this link (and no longer holds its license). */
  INVITATION_ALREADY_USED: { status: 409, message: 'You have already used this invitation. Ask your administrator if you need the license again.' },
  /** Claims need a verified address. */
  EMAIL_NOT_VERIFIED: { status: 403, message: 'Verify your email address before claiming a license.' },
  /** The invitation only accepts some email domains. */
  EMAIL_DOMAIN_NOT_ALLOWED: { status: 403, message: 'This invitation is for other email domains.' },
  /** A product signed in with a wrong email, password or app password. */
  INVALID_CREDENTIALS: { status: 401, message: 'The email address or password is wrong.' },
  /** Password activation is closed to accounts with two-factor on: a product cannot ask for a code at every refresh. */
  TWO_FACTOR_REQUIRED: {
    status: 403,
    message: 'This account uses two-factor authentication. Activate with an app password (create one on your account page) or sign in through the browser.',
  },
  /** The organization's policy requires two-factor authentication and this person has none, past the grace period. */
  TWO_FACTOR_ENROLMENT_REQUIRED: {
    status: 403,
    message: 'This organization requires two-factor authentication. Turn it on under Account → Security, then try again.',
  },
  /** Deleting an account asks for its password; this one was wrong. */
  PASSWORD_MISMATCH: { status: 403, message: 'The password is wrong.' },
  /** The person holds no license of the product being activated. */
  NO_LICENSE: { status: 403, message: 'You do not hold a license for this product.' },
  /** The license was revoked from the person, or moved to someone else. */
  LICENSE_REVOKED: { status: 403, message: 'This license was revoked. Ask your administrator if you still need it.' },
  /** The license's valid-until date has passed. */
  LICENSE_EXPIRED: { status: 403, message: 'This license has expired.' },
  /** The license is active on as many machines as its product allows. */
  MACHINE_LIMIT_REACHED: {
    status: 409,
    message: 'This license is already active on as many machines as it allows. Deactivate one on your account page, then try again.',
  },
  /** The refresh secret is unknown, or the machine was deactivated. */
  ACTIVATION_ENDED: { status: 401, message: 'This machine is no longer activated. Activate it again.' },
  /** The offline code was already redeemed, replaced by a newer one, or issued before a renewal. */
  OFFLINE_CODE_SUPERSEDED: {
    status: 409,
    message:
      'This offline activation code was already used online or has been replaced. It keeps working offline until it expires; get a new one from your account page to activate online.',
  },
  /** A license ticket or offline code whose signature, form or expiry does not check out. */
  TICKET_INVALID: { status: 400, message: 'This license ticket is not valid.' },
  /** RFC 8628 authorization_pending: the person has not approved the device yet. */
  DEVICE_AUTHORIZATION_PENDING: { status: 400, message: 'Waiting for you to approve this device in the browser.' },
  /** RFC 8628 slow_down: the product polls faster than the interval it was given. */
  DEVICE_SLOW_DOWN: { status: 400, message: 'Polling too fast; wait longer between attempts.' },
  /** RFC 8628 access_denied. */
  DEVICE_AUTHORIZATION_DENIED: { status: 403, message: 'The device login was denied in the browser.' },
  /** RFC 8628 expired_token: the device code ran out, was used, or never existed. */
  DEVICE_CODE_EXPIRED: { status: 400, message: 'This device login has expired. Start the activation again.' },
  /** The code typed on the approval page is unknown or no longer pending. */
  DEVICE_CODE_INVALID: { status: 404, message: 'This code is unknown or has expired. Check the code your product shows, or start again.' },
  /** Too many attempts in the current window; Retry-After says when to try again. */
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Try again later.' },
  /** An API token asked for something only a signed-in person may do. */
  TOKEN_NOT_ALLOWED: {
    status: 403,
    message: 'API tokens cannot manage administrators, API tokens, webhooks or organization settings. Sign in to the console to do this.',
  },
  /** The Idempotency-Key header is empty, too long or not printable ASCII. */
  IDEMPOTENCY_KEY_INVALID: { status: 400, message: 'Idempotency-Key must be 1 to 255 printable ASCII characters.' },
  /** An Idempotency-Key came back with another request than the one it was first used for. */
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was used for a different request. Use a new key for a new request.' },
  /** The first request with this Idempotency-Key is still being answered. */
  IDEMPOTENCY_KEY_IN_USE: { status: 409, message: 'A request with this Idempotency-Key is still in progress. Retry in a moment.' },
  /** A webhook URL is not an http(s) URL, or points at an address this server may not call. */
  WEBHOOK_URL_REFUSED: { status: 400, message: 'This webhook URL cannot be used.' },
  /** The request body is not JSON, or not a type this route accepts. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the request body as JSON.' },
  /** The request body is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  /** The database cannot be reached right now; the request can be retried. */
  DATABASE_UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable. Try again shortly.' },
  /** Anything we did not expect; details go to the log, never to the client. */
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
