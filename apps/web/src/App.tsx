import { SessionProvider, useSession } from './session/SessionContext';
import { SignedInApp } from './SignedInApp';
import { SignedOutApp } from './SignedOutApp';

function Screens() {
  const { session } = useSession();
  // Another user means new clients and a fresh cache: nothing of the last user survives.
  // A renewed token for the same user keeps them: the socket takes it on its next connect.
  return session ? <SignedInApp key={session.user.id} session={session} /> : <SignedOutApp />;
}

export function App() {
  return (
    <SessionProvider>
      <Screens />
    </SessionProvider>
  );
}
