import { banOf, sessionEnded } from '@chat/client/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { createSessionClients, type SessionClients, type TokenRefusal } from './api/session-clients';
import { trpc } from './api/trpc';
import { ChatScreen } from './shell/ChatScreen';
import { ConnectionProvider } from './connection/ConnectionContext';
import { forgetDrafts, releaseKeptDrafts } from './composer/draft-store';
import { adoptFirstReads } from './shell/first-reads';
import { forgetOffline } from './offline/offline-store';
import { OutboxProvider } from './outbox/OutboxContext';
import { AvatarSourceProvider } from './people/AvatarSourceProvider';
import { outboxRefusal } from './messages/outbox-refusal';
import { createSessionOutbox, forgetOutbox, type SessionOutbox } from './outbox/session-outbox';
import { useSession } from './session/SessionContext';
import type { Session } from './session/session-store';
import { useTokenRefresh } from './session/use-token-refresh';

const NOTICES: Record<TokenRefusal, string> = {
  expired: 'Your session expired. Log in again to keep chatting.',
  refused: 'The server no longer accepts your session. Please log in again.',
  revoked: 'You were logged out. Log in again to keep chatting.',
};

const LOGGED_OUT_EVERYWHERE = 'You logged out on every device.';

/**
 * Logging out on purpose leaves none of the account's unsent work in this browser (a shared
 * computer); a session that merely expired keeps it for the next login (decision 133).
 */
function forgetUnsent(accountId: string) {
  forgetOutbox(accountId);
  forgetDrafts(accountId);
  forgetOffline(accountId);
}

/** A token this close to its expiry no longer counts as lasting: the socket would be closed again at once. */
const TOKEN_MARGIN_MS = 1_000;

export function SignedInApp({ session }: { session: Session }) {
  const { signOut, renew, banned } = useSession();
  const [clients, setClients] = useState<(SessionClients & { outbox: SessionOutbox }) | null>(null);
  // The clients outlive a token renewal: they read the newest session through this ref.
  const latest = useRef(session);
  useEffect(() => {
    latest.current = session;
  }, [session]);

  // Set while this tab asks to log out everywhere: the revocation closes our own socket too, maybe
  // before the answer arrives, and that close is this logout, not a surprise to explain.
  const endingEverywhere = useRef(false);
  const noticeFor = (reason: TokenRefusal) => (endingEverywhere.current ? LOGGED_OUT_EVERYWHERE : NOTICES[reason]);

  // Created in an effect so the socket is closed when this session ends (logout, expiry, another user).
  useEffect(() => {
    const created = createSessionClients({
      getToken: () => latest.current.token,
      tokenLasts: () => latest.current.expiresAt - Date.now() > TOKEN_MARGIN_MS,
      onTokenRefused: (reason) => signOut(noticeFor(reason)),
      // A socket refused for a bad token says so only over HTTP: ask auth.me.
      onSocketLost: () => void created.queryClient.invalidateQueries({ queryKey: [['auth', 'me']] }),
      onBanned: (reason) => banned({ username: latest.current.user.username, reason }),
    });
    adoptFirstReads(latest.current.user.id, created.queryClient, created.trpcClient);
    // The account's sends, edits and reactions (decision 133), driven by this session's clients.
    const outbox = createSessionOutbox(latest.current.user.id, created.trpcClient, created.connection, outboxRefusal, () => latest.current.token);
    // The last page may have gone between the outbox keeping a message and the release of its held draft: that text
    // is queued, so it must not also come back in the composer (one more Enter would send it twice). Registered
    // before anything else waits on `ready`, and run before the first item can be answered (it is still queued).
    const accountId = latest.current.user.id;
    void outbox.ready.then(() =>
      releaseKeptDrafts(accountId, outbox.items().flatMap((item) => (item.kind === 'send' && item.roomId ? [{ roomId: item.roomId, text: item.input.text }] : []))),
    );
    // The chat screen mounts as a transition: React renders it in slices the browser may interrupt, not as one
    // long task (decision 167).
    startTransition(() => setClients({ ...created, outbox }));
    return () => {
      outbox.dispose();
      created.close();
    };
  }, [signOut, banned]);

  // Stable per clients: a new function would restart the refresh timer and drop an answer in flight.
  const refresh = useMemo(() => (clients ? () => clients.trpcClient.auth.refresh.mutate() : null), [clients]);
  useTokenRefresh(session, {
    refresh,
    onRenewed: renew,
    onRefused: (error) => {
      const ban = banOf(error);
      if (ban) banned({ username: latest.current.user.username, reason: ban.reason });
      else if (sessionEnded(error)) signOut(noticeFor('revoked'));
      else signOut(noticeFor(Date.now() >= latest.current.expiresAt ? 'expired' : 'refused'));
    },
  });

  if (!clients) return null;
  return (
    <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
      <QueryClientProvider client={clients.queryClient}>
        <ConnectionProvider monitor={clients.connection}>
          <OutboxProvider outbox={clients.outbox}>
          <AvatarSourceProvider>
          <ChatScreen
            session={session}
            onLogout={() => {
              // Revoke the token on the server too, but never make leaving wait on it.
              void clients.trpcClient.auth.logout.mutate().catch(() => undefined);
              forgetUnsent(session.user.id);
              signOut();
            }}
            onLogoutEverywhere={async () => {
              endingEverywhere.current = true;
              try {
                await clients.trpcClient.auth.logoutEverywhere.mutate();
              } catch (error) {
                endingEverywhere.current = false;
                throw error;
              }
              forgetUnsent(session.user.id);
              signOut(LOGGED_OUT_EVERYWHERE);
            }}
          />
          </AvatarSourceProvider>
          </OutboxProvider>
        </ConnectionProvider>
      </QueryClientProvider>
    </trpc.Provider>
  );
}
