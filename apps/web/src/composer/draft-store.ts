/** Drafts are kept per account in this browser, so a reload (or a crash) keeps what was being typed. */
const key = (accountId: string) => `chat.drafts.v1.${accountId}`;

export function loadDrafts(accountId: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(accountId)) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  } catch {
    return {};
  }
}

/**
 * Text sent from a composer but not yet kept by the outbox (its IndexedDB write is in progress),
 * by account and room. Until the outbox has it, the saved draft still holds it: a reload in that
 * moment brings the text back in the composer instead of losing it (the composer clears at once).
 */
const handedOver = new Map<string, Map<string, string>>();

export function saveDrafts(accountId: string, drafts: Readonly<Record<string, string>>): void {
  const kept = Object.fromEntries(Object.entries(drafts).filter(([, text]) => text !== ''));
  for (const [roomId, text] of handedOver.get(accountId) ?? []) kept[roomId] ||= text;
  write(accountId, kept);
}

/** Keeps `text` as the room's saved draft until `stored` settles (the outbox kept the message, or could not). */
export function holdDraftUntil(accountId: string, roomId: string, text: string, stored: Promise<unknown>): void {
  const held = handedOver.get(accountId) ?? new Map<string, string>();
  handedOver.set(accountId, held.set(roomId, text));
  saveDrafts(accountId, loadDrafts(accountId));
  const release = () => {
    if (held.get(roomId) === text) held.delete(roomId);
    const saved = loadDrafts(accountId);
    // A draft typed since then was saved over the held text and stays.
    if (saved[roomId] === text) delete saved[roomId];
    saveDrafts(accountId, saved);
  };
  stored.then(release, release);
}

function write(accountId: string, kept: Record<string, string>): void {
  try {
    if (Object.keys(kept).length === 0) localStorage.removeItem(key(accountId));
    else localStorage.setItem(key(accountId), JSON.stringify(kept));
  } catch {
    // Storage full or refused (private mode): the draft still lives for this page.
  }
}

export function forgetDrafts(accountId: string): void {
  try {
    localStorage.removeItem(key(accountId));
  } catch {
    // Nothing was stored.
  }
}
