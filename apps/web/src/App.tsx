import { SessionProvider, useSession } from './session/SessionContext';
import { SignedInApp } from './SignedInApp';
import { SignedOutApp } from './SignedOutApp';

function Screens() {
  const { session } = useSession();
  // A new token means new clients and a fresh cache: nothing of the last user survives.
  return session ? <SignedInApp key={session.token} session={session} /> : <SignedOutApp />;
}

export function App() {
  return (
    <SessionProvider>
      <Screens />
    </SessionProvider>
  );
}
