import { usernameSkeleton } from '@chat/db';
import { DomainError } from '../errors';
import { RESERVED_USERNAMES } from './new-username';

// Display names and impersonation (docs/decisions/155-profiles.md). A display name is free text, but
// it may not pass for someone else's username, nor for a role or the system: compared by the same
// confusable skeleton as usernames, with white space ignored ("A l i c e" is "alice").

const RESERVED_SKELETONS = new Set(RESERVED_USERNAMES.map(usernameSkeleton));

/** The key a display name is compared under: usernames' skeleton of it without spaces. */
export const displayNameSkeleton = (name: string) => usernameSkeleton(name.replace(/\s+/gu, ''));

/** Why `name` can never be anyone's display name, or null. Being like the owner's own username is fine. */
export function refusalOfDisplayName(name: string, ownUsername: string): DomainError | null {
  const skeleton = displayNameSkeleton(name);
  if (skeleton === usernameSkeleton(ownUsername)) return null;
  if (RESERVED_SKELETONS.has(skeleton)) return new DomainError('CONFLICT', `The display name "${name}" is reserved; pick another one`);
  return null;
}
