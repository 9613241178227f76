import { useEffect, useState } from 'react';

type PasswordProblem = (password: string, username: string) => string | null;

/**
 * The server's sign-up password policy, loaded only when asked for: its list of common passwords
 * is a separate chunk, so logging in never downloads it. Null until it has arrived (the server
 * still refuses what the form could not check).
 */
export function usePasswordPolicy(enabled: boolean): PasswordProblem | null {
  const [problem, setProblem] = useState<PasswordProblem | null>(null);
  useEffect(() => {
    if (!enabled || problem) return;
    let live = true;
    import('@chat/api/password-policy').then(
      (policy) => live && setProblem(() => policy.passwordProblem),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [enabled, problem]);
  return problem;
}
