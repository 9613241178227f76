import { useCallback, useMemo, useRef, useState } from 'react';
import { AccountMenu } from '../account/AccountMenu';
import { type ChatMessage, type PublicUser, trpc } from '../api/trpc';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import { OnlineList } from '../presence/OnlineList';
import { TypingIndicator } from '../presence/TypingIndicator';
import { useOnlineUsers } from '../presence/use-online-users';
import { useTypingSignal } from '../presence/use-typing-signal';
import { useTypingUsers } from '../presence/use-typing-users';
import { KeyboardTips } from '../search/KeyboardTips';
import { ProfileCard } from '../search/ProfileCard';
import { UserSearch } from '../search/UserSearch';
import type { Session } from '../session/session-store';
import { BrandMark } from '../ui/BrandMark';
import { appendMention } from './composer-state';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { useChatMessages } from './use-chat-messages';
import { useUnreadTitle } from './use-unread-title';
import './ChatScreen.css';

interface Props {
  session: Session;
  onLogout(): void;
  onLoggedOutEverywhere(): void;
}

export function ChatScreen({ session, onLogout, onLoggedOutEverywhere }: Props) {
  const me = useMemo(() => ({ id: session.user.id, username: session.user.username }), [session.user.id, session.user.username]);
  // Proves the stored token still works after a reload; a refusal signs out through the QueryClient.
  trpc.auth.me.useQuery(undefined, { retry: false, staleTime: Infinity });

  const [announcement, setAnnouncement] = useState('');
  const countUnread = useUnreadTitle();
  const onIncoming = useCallback(
    (m: ChatMessage) => {
      if (m.author.id === me.id) return;
      setAnnouncement(`${m.author.username}: ${m.text.slice(0, 200)}`);
      countUnread();
    },
    [me.id, countUnread],
  );
  const chat = useChatMessages(me, onIncoming);

  const [draft, setDraft] = useState('');
  const online = useOnlineUsers();
  const typingUsers = useTypingUsers(me.id);
  const typingSignal = useTypingSignal();
  // Only the user's own keystrokes count as typing; a mention inserted from a profile does not.
  const onDraftChange = useCallback(
    (next: string) => {
      setDraft(next);
      typingSignal.changed(next);
    },
    [typingSignal],
  );
  const composer = useRef<HTMLTextAreaElement>(null);
  const [profile, setProfile] = useState<PublicUser | null>(null);
  const [peopleOpen, setPeopleOpen] = useState(false);

  const mention = (user: PublicUser) => {
    setDraft((d) => appendMention(d, user.username));
    setPeopleOpen(false);
    composer.current?.focus();
    // The caret goes after the mention once React has put it in the textarea.
    requestAnimationFrame(() => {
      const el = composer.current;
      el?.setSelectionRange(el.value.length, el.value.length);
    });
  };

  return (
    <div
      className="chat-app"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && peopleOpen) setPeopleOpen(false);
      }}
    >
      <header className="topbar glass">
        <div className="topbar-brand">
          <BrandMark size={30} />
          <span className="topbar-title">Ember</span>
        </div>
        <ConnectionStatus />
        <div className="topbar-actions">
          <button
            type="button"
            className="btn btn-ghost people-toggle"
            aria-expanded={peopleOpen}
            aria-controls="people-panel"
            onClick={() => setPeopleOpen((o) => !o)}
          >
            People
            {online.length > 0 && (
              <span className="people-count">
                <span className="sr-only">, </span>
                {online.length}
                <span className="sr-only"> online</span>
              </span>
            )}
          </button>
          <AccountMenu username={me.username} onLogout={onLogout} onLoggedOutEverywhere={onLoggedOutEverywhere} />
        </div>
      </header>

      <div className="chat-layout">
        <main className="chat-main glass" aria-labelledby="room-title">
          <div className="room-header">
            <h1 id="room-title">
              <span className="room-hash" aria-hidden="true">
                #
              </span>
              everyone
            </h1>
            <p className="muted small">The one room every member shares.</p>
          </div>
          {chat.status === 'pending' ? (
            <div className="chat-placeholder" aria-busy="true">
              <span className="spinner" aria-hidden="true" /> Loading messages…
            </div>
          ) : chat.status === 'error' ? (
            <div className="chat-placeholder" role="alert">
              Could not load messages.
              <button type="button" className="btn btn-secondary btn-small" onClick={() => void chat.refetch()}>
                Try again
              </button>
            </div>
          ) : (
            <MessageList
              items={chat.timeline}
              me={me}
              hasOlder={chat.hasOlder}
              loadingOlder={chat.loadingOlder}
              loadOlder={() => void chat.loadOlder()}
              onRetry={chat.retry}
              onDiscard={chat.discard}
            />
          )}
          <TypingIndicator users={typingUsers} />
          <Composer ref={composer} draft={draft} onDraftChange={onDraftChange} onSend={chat.send} />
        </main>

        <aside id="people-panel" className={`people-panel glass${peopleOpen ? ' open' : ''}`} aria-label="People">
          <OnlineList users={online} meId={me.id} />
          <UserSearch onSelect={setProfile} selectedId={profile?.id ?? null} />
          {profile && <ProfileCard user={profile} isMe={profile.id === me.id} onMention={mention} onClose={() => setProfile(null)} />}
          <KeyboardTips />
        </aside>
      </div>

      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}
