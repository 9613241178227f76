/**
 * A fresh id for matching a send to its echo. crypto.randomUUID exists only in secure contexts,
 * and the app must also work over plain http on a LAN IP, where getRandomValues still does.
 */
export function newClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
