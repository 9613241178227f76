/**
 * Drafts are kept per account in this browser, so a reload (or a crash) keeps what was being typed.
 * Every tab of the account shares them (decision 152): a tab writes only the room its user typed in,
 * never its whole copy, so another tab's stale copy cannot overwrite a draft typed elsewhere; and the
 * other tabs hear each write (the `storage` event) and show the same draft.
 */
const key = (accountId: string) => `chat.drafts.v1.${accountId}`;

/** A draft as stored: its text, and whether it is only held for the outbox (see holdDraftUntil). */
interface StoredDraft {
  text: string;
  held?: true;
}

function read(accountId: string): Record<string, StoredDraft> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(accountId)) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    const drafts: Record<string, StoredDraft> = {};
    for (const [roomId, value] of Object.entries(parsed)) {
      // A plain string is how drafts were stored before they were shared between tabs.
      if (typeof value === 'string' && value !== '') drafts[roomId] = { text: value };
      else if (value && typeof value === 'object' && typeof (value as StoredDraft).text === 'string' && (value as StoredDraft).text !== '') {
        drafts[roomId] = (value as StoredDraft).held ? { text: (value as StoredDraft).text, held: true } : { text: (value as StoredDraft).text };
      }
    }
    return drafts;
  } catch {
    return {};
  }
}

function write(accountId: string, drafts: Record<string, StoredDraft>): void {
  try {
    if (Object.keys(drafts).length === 0) localStorage.removeItem(key(accountId));
    else localStorage.setItem(key(accountId), JSON.stringify(drafts));
  } catch {
    // Storage full or refused (private mode): the draft still lives for this page.
  }
}

/**
 * The account's drafts by room. At start (`held` true, the default) a text that was on its way to
 * the outbox when the page went counts too, so a reload in that moment brings it back; a tab
 * following another's write leaves it out, as the composer that sent it has cleared already.
 */
export function loadDrafts(accountId: string, { held = true }: { held?: boolean } = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(read(accountId)).flatMap(([roomId, d]) => (held || !d.held ? [[roomId, d.text]] : [])));
}

/**
 * Text sent from a composer but not yet kept by the outbox (its IndexedDB write is in progress),
 * by account and room. Until the outbox has it, the saved draft still holds it: a reload in that
 * moment brings the text back in the composer instead of losing it (the composer clears at once).
 */
const handedOver = new Map<string, Map<string, string>>();

/** Saves one room's draft as typed in this tab (empty: none), leaving every other room's as stored. */
export function saveDraft(accountId: string, roomId: string, text: string): void {
  const drafts = read(accountId);
  const held = handedOver.get(accountId)?.get(roomId);
  if (text !== '') drafts[roomId] = { text };
  else if (held !== undefined) drafts[roomId] = { text: held, held: true };
  else delete drafts[roomId];
  write(accountId, drafts);
}

/** Keeps `text` as the room's saved draft until `stored` settles (the outbox kept the message, or could not). */
export function holdDraftUntil(accountId: string, roomId: string, text: string, stored: Promise<unknown>): void {
  const held = handedOver.get(accountId) ?? new Map<string, string>();
  handedOver.set(accountId, held.set(roomId, text));
  const drafts = read(accountId);
  if (!drafts[roomId]) write(accountId, { ...drafts, [roomId]: { text, held: true } });
  const release = () => {
    if (held.get(roomId) === text) held.delete(roomId);
    const now = read(accountId);
    // A draft typed since then (in any tab) was saved over the held text and stays.
    if (now[roomId]?.held && now[roomId].text === text) {
      delete now[roomId];
      write(accountId, now);
    }
  };
  stored.then(release, release);
}

/**
 * Calls `changed` with the account's drafts whenever another tab of this browser saved one. The
 * browser fires `storage` only in the other tabs, so a tab never hears its own writes back.
 */
export function followDrafts(accountId: string, changed: (drafts: Record<string, string>) => void): () => void {
  const onStorage = (e: StorageEvent) => {
    // A null key: the whole storage was cleared (another tab logged out everywhere, say).
    if (e.storageArea === localStorage && (e.key === key(accountId) || e.key === null)) changed(loadDrafts(accountId, { held: false }));
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}

export function forgetDrafts(accountId: string): void {
  try {
    localStorage.removeItem(key(accountId));
  } catch {
    // Nothing was stored.
  }
}
