// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { forgetDrafts, holdDraftUntil, loadDrafts, saveDrafts } from './draft-store';

describe('drafts kept in the browser', () => {
  it('come back per account, drop empty ones, and go on logout', () => {
    saveDrafts('u1', { r1: 'half a thought', r2: '' });
    saveDrafts('u2', { r1: 'someone else' });
    expect(loadDrafts('u1')).toEqual({ r1: 'half a thought' });
    forgetDrafts('u1');
    expect(loadDrafts('u1')).toEqual({});
    expect(loadDrafts('u2')).toEqual({ r1: 'someone else' });
  });

  it('ignore what is not a map of strings', () => {
    localStorage.setItem('chat.drafts.v1.u3', '{"r1": 5, "r2": "ok"}');
    expect(loadDrafts('u3')).toEqual({ r2: 'ok' });
    localStorage.setItem('chat.drafts.v1.u3', 'not json');
    expect(loadDrafts('u3')).toEqual({});
  });
});

describe('a draft handed over to the outbox', () => {
  it('stays saved until the outbox has kept it, even when the composer clears at once', async () => {
    let kept!: () => void;
    const stored = new Promise<void>((resolve) => (kept = resolve));
    holdDraftUntil('u4', 'r1', 'on its way', stored);
    saveDrafts('u4', { r1: '' }); // the composer clears right after Enter
    expect(loadDrafts('u4')).toEqual({ r1: 'on its way' });
    kept();
    await stored;
    expect(loadDrafts('u4')).toEqual({});
  });

  it('gives way to a new draft typed meanwhile, which stays after the hand-over', async () => {
    const stored = Promise.reject(new Error('IndexedDB refused'));
    holdDraftUntil('u5', 'r1', 'sent', stored);
    saveDrafts('u5', { r1: 'the next one' });
    expect(loadDrafts('u5')).toEqual({ r1: 'the next one' });
    await stored.catch(() => undefined);
    expect(loadDrafts('u5')).toEqual({ r1: 'the next one' });
  });
});
