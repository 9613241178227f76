import type { UserRef } from '@chat/api';
import fc from 'fast-check';

// The scaffold every "applying equals fetching" property test shares (room-state, thread-state,
// pin-state): the users its model server knows, the viewer first, and the model's clock.

/** The viewer: the one whose snapshot and stream the test folds. */
export const ME: UserRef = { id: 'u0', username: 'me' };
/** The viewer and two others, by index in the ops. */
export const USERS: UserRef[] = [ME, { id: 'u1', username: 'ann' }, { id: 'u2', username: 'bob' }];
/** Second `t` of the model's day, as the server writes times. */
export const time = (t: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, t)).toISOString();
/** Any of USERS, by index. */
export const userArb = fc.nat({ max: USERS.length - 1 });
