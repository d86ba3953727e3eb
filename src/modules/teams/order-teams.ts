/** An order placed without a team gets a team of its own, named after the order's reference. */
export const ORDER_TEAM_NAME_PREFIX = 'Order ';

export const orderTeamName = (reference: string) => `${ORDER_TEAM_NAME_PREFIX}${reference}`;
