import { lazy, Suspense } from 'react';
import { startFirstReads } from './shell/first-reads';
import { SessionProvider, useSession } from './session/SessionContext';
import { SignedOutApp } from './SignedOutApp';

// The chat (markdown, sockets, rooms, the emoji picker) is its own chunk: the login page never loads it.
const SignedInApp = lazy(() => import('./SignedInApp').then((m) => ({ default: m.SignedInApp })));

function Screens() {
  const { session } = useSession();
  // The chat's first reads leave now, while its code is still loading (decision 167).
  startFirstReads(session);
  // Another user means new clients and a fresh cache: nothing of the last user survives.
  // A renewed token for the same user keeps them: the socket takes it on its next connect.
  return session ? (
    <Suspense fallback={null}>
      <SignedInApp key={session.user.id} session={session} />
    </Suspense>
  ) : (
    <SignedOutApp />
  );
}

export function App() {
  return (
    <SessionProvider>
      <Screens />
    </SessionProvider>
  );
}
