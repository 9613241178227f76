import { type Dispatch, memo, Suspense, useState } from 'react';
import type { PublicUser } from '../api/trpc';
import type { OnlineUsers } from '../people/online-users';
import { OnlineList } from '../people/OnlineList';
import { UserSearch } from '../people/UserSearch';
import type { ShellAction } from './shell-state';
import { KeyboardTips } from './KeyboardTips';
import { lazyComponent } from '../ui/lazy-component';
import { useMediaQuery } from '../ui/use-media-query';

/** Where the panel is a closed sheet until opened (ChatScreen.css): the width below which it is hidden. */
const SHEET_QUERY = '(max-width: 1100px)';

// Loaded with the first profile opened (docs/decisions/164).
const ProfileCard = lazyComponent(() => import('../people/ProfileCard').then((m) => m.ProfileCard));

interface Props {
  open: boolean;
  profile: PublicUser | null;
  dispatch: Dispatch<ShellAction>;
  meId: string;
  online: OnlineUsers;
  /** People whose display names are known: the rooms' peers and members. */
  known: readonly { id: string; displayName?: string }[];
  /** Opens (or makes) the direct conversation with a user. */
  message(userId: string): void;
  messaging: boolean;
  mention(user: PublicUser): void;
  showShortcuts(): void;
}

/** The right-hand panel (a sheet on a phone): who is online, finding people, a profile, the keyboard tips (not on a phone). */
export const PeoplePanel = memo(function PeoplePanel({ open, profile, dispatch, meId, online, known, message, messaging, mention, showShortcuts }: Props) {
  // A closed sheet shows nothing: its lists are rendered on its first opening, not in the first screen's work
  // (decision 167), and kept from then on (what was typed into the search stays).
  const sheet = useMediaQuery(SHEET_QUERY);
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  if (sheet && !opened) return <aside id="people-panel" className="people-panel glass" aria-label="People" />;
  return (
    <aside id="people-panel" className={`people-panel glass${open ? ' open' : ''}`} aria-label="People">
      <OnlineList users={online} meId={meId} known={known} />
      <UserSearch onSelect={(user) => dispatch({ type: 'profile-shown', profile: user })} onMessage={(user) => message(user.id)} messaging={messaging} selectedId={profile?.id ?? null} meId={meId} />
      {profile && (
        <Suspense fallback={null}>
          <ProfileCard
            user={profile}
            isMe={profile.id === meId}
            onMention={mention}
            onMessage={(user) => message(user.id)}
            messaging={messaging}
            onClose={() => dispatch({ type: 'profile-shown', profile: null })}
          />
        </Suspense>
      )}
      <KeyboardTips onShowAll={showShortcuts} />
    </aside>
  );
});
