// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { forgetDrafts, loadDrafts, saveDrafts } from './draft-store';

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
