/**
 * Drafts are kept per account in this browser, so a reload (or a crash) keeps what was being typed.
 * Every tab of the account shares them (decision 152): a tab writes only the room its user typed in,
 * never its whole copy, so another tab's stale copy cannot overwrite a draft typed elsewhere; and the
 * other tabs hear each write (the `storage` event) and show the same draft.
 */
const key = (accountId: string) => `chat.drafts.v1.${accountId}`;

/**
 * A draft as stored: its text, whether it is only held for the outbox (see holdDraftUntil), and
 * when the keystroke or send that made it happened (`at`, ms; the tabs of one browser share one
 * clock). An empty text is a cleared draft kept for its time, so a following tab can tell a clear
 * older than its own typing from a newer one (decision 152, "later").
 */
interface StoredDraft {
  text: string;
  held?: true;
  at?: number;
}

/** Cleared drafts are kept this long: long enough for every tab to have heard of them. */
const CLEARED_KEPT_MS = 10 * 60_000;

function read(accountId: string): Record<string, StoredDraft> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(accountId)) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    const drafts: Record<string, StoredDraft> = {};
    for (const [roomId, value] of Object.entries(parsed)) {
      // A plain string is how drafts were stored before they were shared between tabs.
      if (typeof value === 'string' && value !== '') drafts[roomId] = { text: value };
      else if (value && typeof value === 'object' && typeof (value as StoredDraft).text === 'string') {
        const { text, held, at } = value as StoredDraft;
        const stamp = typeof at === 'number' && Number.isFinite(at) ? { at } : {};
        if (text === '' && !('at' in stamp)) continue;
        drafts[roomId] = held && text !== '' ? { text, held: true, ...stamp } : { text, ...stamp };
      }
    }
    return drafts;
  } catch {
    return {};
  }
}

function write(accountId: string, drafts: Record<string, StoredDraft>): void {
  const cutoff = Date.now() - CLEARED_KEPT_MS;
  const kept = Object.fromEntries(Object.entries(drafts).filter(([, d]) => d.text !== '' || (d.at ?? 0) > cutoff));
  try {
    if (Object.keys(kept).length === 0) localStorage.removeItem(key(accountId));
    else localStorage.setItem(key(accountId), JSON.stringify(kept));
  } catch {
    // Storage full or refused (private mode): the draft still lives for this page.
  }
}

/**
 * This tab's own last edit of each room, by account: what it shows while news from another tab is
 * older than it. The browser may deliver another tab's write after this tab's user typed (a busy
 * or background tab hears late, and each tab's copy of storage catches up on its own), and that
 * older write must not wipe the newer keystrokes.
 */
const ownEdits = new Map<string, Map<string, { text: string; at: number }>>();

function noteOwnEdit(accountId: string, roomId: string, text: string, at: number): void {
  const edits = ownEdits.get(accountId) ?? new Map<string, { text: string; at: number }>();
  ownEdits.set(accountId, edits.set(roomId, { text, at }));
}

/**
 * The account's drafts by room. At start (`held` true, the default) a text that was on its way to
 * the outbox when the page went counts too, so a reload in that moment brings it back; a tab
 * following another's write leaves it out, as the composer that sent it has cleared already.
 */
export function loadDrafts(accountId: string, { held = true }: { held?: boolean } = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(read(accountId)).flatMap(([roomId, d]) => (d.text !== '' && (held || !d.held) ? [[roomId, d.text]] : [])));
}

/** The drafts stored as held for the outbox (a send the last page made as it went), by room. */
export function heldDrafts(accountId: string): Record<string, string> {
  return Object.fromEntries(Object.entries(read(accountId)).flatMap(([roomId, d]) => (d.held && d.text !== '' ? [[roomId, d.text]] : [])));
}

/**
 * Text sent from a composer but not yet kept by the outbox (its IndexedDB write is in progress),
 * by account and room. Until the outbox has it, the saved draft still holds it: a reload in that
 * moment brings the text back in the composer instead of losing it (the composer clears at once).
 */
const handedOver = new Map<string, Map<string, { text: string; at: number }>>();

/** Saves one room's draft as typed in this tab (empty: none), leaving every other room's as stored. */
export function saveDraft(accountId: string, roomId: string, text: string): void {
  const at = Date.now();
  noteOwnEdit(accountId, roomId, text, at);
  const drafts = read(accountId);
  const held = handedOver.get(accountId)?.get(roomId);
  if (text === '' && held !== undefined) drafts[roomId] = { text: held.text, held: true, at };
  else drafts[roomId] = { text, at };
  write(accountId, drafts);
}

/** Keeps `text` as the room's saved draft until `stored` settles (the outbox kept the message, or could not). */
export function holdDraftUntil(accountId: string, roomId: string, text: string, stored: Promise<unknown>): void {
  const at = Date.now();
  const hold = { text, at };
  const held = handedOver.get(accountId) ?? new Map<string, { text: string; at: number }>();
  handedOver.set(accountId, held.set(roomId, hold));
  const drafts = read(accountId);
  if (!drafts[roomId] || drafts[roomId].text === '') write(accountId, { ...drafts, [roomId]: { text, held: true, at } });
  const release = () => {
    if (held.get(roomId) === hold) held.delete(roomId);
    const now = read(accountId);
    // A draft typed since then (in any tab) was saved over the held text and stays. The clear
    // keeps the send's time: a tab that typed after the send is newer and keeps its text.
    if (now[roomId]?.held && now[roomId].text === text) {
      now[roomId] = { text: '', at: now[roomId].at ?? at };
      write(accountId, now);
    }
  };
  stored.then(release, release);
}

/**
 * After a reload, drops each held draft whose message the outbox did keep: the page can go between the outbox's
 * IndexedDB commit and the release above, and then the text is both queued and back in the composer, where one
 * more Enter would send it twice. `queued` is what the outbox holds to send, by room. True when a draft was dropped.
 */
export function releaseKeptDrafts(accountId: string, queued: readonly { roomId: string; text: string }[]): boolean {
  const drafts = read(accountId);
  let released = false;
  for (const { roomId, text } of queued) {
    const draft = drafts[roomId];
    if (!draft?.held || draft.text !== text) continue;
    drafts[roomId] = { text: '', at: draft.at ?? Date.now() };
    released = true;
  }
  if (released) write(accountId, drafts);
  return released;
}

/**
 * Calls `changed` with the account's drafts whenever another tab of this browser saved one. The
 * browser fires `storage` only in the other tabs, so a tab never hears its own writes back.
 */
export function followDrafts(accountId: string, changed: (drafts: Record<string, string>) => void): () => void {
  const onStorage = (e: StorageEvent) => {
    // A null key: the whole storage was cleared (another tab logged out everywhere, say).
    if (e.storageArea !== localStorage || (e.key !== key(accountId) && e.key !== null)) return;
    const stored = read(accountId);
    const drafts = loadDrafts(accountId, { held: false });
    let newerHere = false;
    for (const [roomId, own] of ownEdits.get(accountId) ?? []) {
      // What this tab typed after the write it hears of stays, and goes back into storage.
      if (e.key === null || own.at <= (stored[roomId]?.at ?? 0)) continue;
      newerHere = true;
      if (own.text === '') delete drafts[roomId];
      else drafts[roomId] = own.text;
      stored[roomId] = { text: own.text, at: own.at };
    }
    if (newerHere) write(accountId, stored);
    changed(drafts);
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
}

export function forgetDrafts(accountId: string): void {
  ownEdits.delete(accountId);
  try {
    localStorage.removeItem(key(accountId));
  } catch {
    // Nothing was stored.
  }
}
