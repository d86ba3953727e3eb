import { errorBody } from '@allot/contract/common';

export { noContent } from '@allot/contract/common';

/** The error answers every route declares (the body is the contract's errorBody). */
export const errorReplies = { '4xx': errorBody, '5xx': errorBody } as const;
