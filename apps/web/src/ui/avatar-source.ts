import { createContext, useContext } from 'react';

/** Who an avatar shows: a user with the version of their picture, if they have one. */
export interface AvatarOf {
  id: string;
  avatar?: string | undefined;
}

/**
 * Turns a user's avatar version into an <img> URL (with a ticket: docs/decisions/143-avatars.md), or null while
 * none can be loaded. Provided by the signed-in app (people/AvatarSourceProvider); the default shows initials.
 */
export type AvatarSource = (user: AvatarOf, size: 'small' | 'large') => string | null;

export const AvatarSourceContext = createContext<AvatarSource>(() => null);

export const useAvatarSource = () => useContext(AvatarSourceContext);
