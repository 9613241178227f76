// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { followDrafts, forgetDrafts, holdDraftUntil, loadDrafts, releaseKeptDrafts, saveDraft } from './draft-store';

describe('drafts kept in the browser', () => {
  it('come back per account, drop empty ones, and go on logout', () => {
    saveDraft('u1', 'r1', 'half a thought');
    saveDraft('u1', 'r2', 'gone soon');
    saveDraft('u1', 'r2', '');
    saveDraft('u2', 'r1', 'someone else');
    expect(loadDrafts('u1')).toEqual({ r1: 'half a thought' });
    forgetDrafts('u1');
    expect(loadDrafts('u1')).toEqual({});
    expect(loadDrafts('u2')).toEqual({ r1: 'someone else' });
  });

  it('ignore what is not a map of drafts, and read the plain strings drafts were stored as before', () => {
    localStorage.setItem('chat.drafts.v1.u3', '{"r1": 5, "r2": "ok", "r3": {"text": "new"}, "r4": {"text": 7}, "r5": null}');
    expect(loadDrafts('u3')).toEqual({ r2: 'ok', r3: 'new' });
    localStorage.setItem('chat.drafts.v1.u3', 'not json');
    expect(loadDrafts('u3')).toEqual({});
  });
});

describe('drafts across the tabs of one account', () => {
  it("a tab's write of one room leaves the draft another tab typed in another room as it is", () => {
    // Both tabs started with nothing; tab A types in r1, then tab B (still holding no r1 draft) types in r2.
    saveDraft('t1', 'r1', 'typed in tab A');
    saveDraft('t1', 'r2', 'typed in tab B');
    expect(loadDrafts('t1')).toEqual({ r1: 'typed in tab A', r2: 'typed in tab B' });
    // Tab B clears its r2 (sent): r1 stays.
    saveDraft('t1', 'r2', '');
    expect(loadDrafts('t1')).toEqual({ r1: 'typed in tab A' });
  });

  it('tells a following tab every draft when another tab saved, without the text held for the outbox', async () => {
    const seen: Record<string, string>[] = [];
    const stop = followDrafts('t2', (drafts) => seen.push(drafts));
    let kept!: () => void;
    const stored = new Promise<void>((resolve) => (kept = resolve));
    saveDraft('t2', 'r1', 'hello');
    holdDraftUntil('t2', 'r2', 'on its way', stored);
    // What the browser fires in the other tabs after a write (never in the writing tab).
    const fire = (key: string | null) => window.dispatchEvent(new StorageEvent('storage', { key, storageArea: localStorage }));
    fire('chat.drafts.v1.t2');
    fire('chat.drafts.v1.other-account');
    fire(null);
    expect(seen).toEqual([{ r1: 'hello' }, { r1: 'hello' }]);
    stop();
    fire('chat.drafts.v1.t2');
    expect(seen).toHaveLength(2);
    kept();
    await stored;
    expect(loadDrafts('t2')).toEqual({ r1: 'hello' });
  });

  it("keeps what this tab's user typed when another tab's older write is heard late, and puts it back into storage", () => {
    const seen: Record<string, string>[] = [];
    const stop = followDrafts('t3', (drafts) => seen.push(drafts));
    const fire = () => window.dispatchEvent(new StorageEvent('storage', { key: 'chat.drafts.v1.t3', storageArea: localStorage }));
    saveDraft('t3', 'r1', 'typed in this tab');
    const typedAt = (JSON.parse(localStorage.getItem('chat.drafts.v1.t3')!) as Record<string, { at: number }>).r1!.at;
    // Another tab cleared r1 (it sent) before this tab's keystrokes, and its write lands now.
    localStorage.setItem('chat.drafts.v1.t3', JSON.stringify({ r1: { text: '', at: typedAt - 5 }, r2: { text: 'from the other tab', at: typedAt - 5 } }));
    fire();
    expect(seen.at(-1)).toEqual({ r1: 'typed in this tab', r2: 'from the other tab' });
    expect(loadDrafts('t3')).toEqual({ r1: 'typed in this tab', r2: 'from the other tab' });
    // A write newer than this tab's last keystroke is shown, a clear included.
    localStorage.setItem('chat.drafts.v1.t3', JSON.stringify({ r1: { text: 'newer, from the other tab', at: typedAt + 5 } }));
    fire();
    expect(seen.at(-1)).toEqual({ r1: 'newer, from the other tab' });
    localStorage.setItem('chat.drafts.v1.t3', JSON.stringify({ r1: { text: '', at: typedAt + 10 } }));
    fire();
    expect(seen.at(-1)).toEqual({});
    stop();
  });

  it('a send clears the draft as of the send, so a tab that typed after it keeps its text', async () => {
    let kept!: () => void;
    const stored = new Promise<void>((resolve) => (kept = resolve));
    holdDraftUntil('t4', 'r1', 'sent from here', stored);
    saveDraft('t4', 'r1', '');
    const heldAt = (JSON.parse(localStorage.getItem('chat.drafts.v1.t4')!) as Record<string, { at: number }>).r1!.at;
    kept();
    await stored;
    const cleared = (JSON.parse(localStorage.getItem('chat.drafts.v1.t4')!) as Record<string, { text: string; at: number }>).r1!;
    expect(cleared).toEqual({ text: '', at: heldAt });
    expect(loadDrafts('t4')).toEqual({});
  });
});

describe('a draft handed over to the outbox', () => {
  it('stays saved until the outbox has kept it, even when the composer clears at once', async () => {
    let kept!: () => void;
    const stored = new Promise<void>((resolve) => (kept = resolve));
    holdDraftUntil('u4', 'r1', 'on its way', stored);
    saveDraft('u4', 'r1', ''); // the composer clears right after Enter
    expect(loadDrafts('u4')).toEqual({ r1: 'on its way' });
    kept();
    await stored;
    expect(loadDrafts('u4')).toEqual({});
  });

  it('gives way to a new draft typed meanwhile, which stays after the hand-over', async () => {
    const stored = Promise.reject(new Error('IndexedDB refused'));
    holdDraftUntil('u5', 'r1', 'sent', stored);
    saveDraft('u5', 'r1', 'the next one');
    expect(loadDrafts('u5')).toEqual({ r1: 'the next one' });
    await stored.catch(() => undefined);
    expect(loadDrafts('u5')).toEqual({ r1: 'the next one' });
  });

  it('is dropped after a reload when the outbox did keep its message (the page went before the release)', () => {
    // The page that sent it went away with the hold still stored: the outbox had committed, the release never ran.
    holdDraftUntil('u6', 'r1', 'kept twice?', new Promise<void>(() => undefined));
    saveDraft('u6', 'r1', '');
    holdDraftUntil('u6', 'r2', 'lost in the move', new Promise<void>(() => undefined));
    saveDraft('u6', 'r3', 'typed, not sent');
    expect(loadDrafts('u6')).toEqual({ r1: 'kept twice?', r2: 'lost in the move', r3: 'typed, not sent' });
    // The next page's outbox holds r1's message (and one in r3 with other text): only r1's held draft goes.
    expect(releaseKeptDrafts('u6', [{ roomId: 'r1', text: 'kept twice?' }, { roomId: 'r3', text: 'typed, not sent, but another' }])).toBe(true);
    expect(loadDrafts('u6')).toEqual({ r2: 'lost in the move', r3: 'typed, not sent' });
    // A typed (not held) draft equal to a queued text is the user's, and stays.
    expect(releaseKeptDrafts('u6', [{ roomId: 'r3', text: 'typed, not sent' }])).toBe(false);
    expect(loadDrafts('u6')).toEqual({ r2: 'lost in the move', r3: 'typed, not sent' });
  });
});
