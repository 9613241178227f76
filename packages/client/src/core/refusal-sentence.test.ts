import { DOMAIN_ERROR_CODES } from '@chat/api/schemas';
import { TRPCClientError } from '@trpc/client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { banOf, NO_CONNECTION, refusalSentence, TRPC_CODES } from './refusal-sentence';

const refusal = (code: string, message = '', extra: object = {}) =>
  TRPCClientError.from({ error: { code: -32000, message, data: { code, httpStatus: 400, ...extra } } });

describe('refusalSentence', () => {
  it('gives every code the server can answer with its own sentence: what happened, then what to do', () => {
    const sentences = TRPC_CODES.map((code) => refusalSentence(refusal(code)));
    for (const s of sentences) expect(s).toMatch(/^[A-Z].*\. .*[.)]$/);
    expect(sentences.join('\n')).not.toMatch(/server error/i);
    expect(refusalSentence(refusal('FORBIDDEN'))).toBe('You are not allowed to do that. Ask a moderator if you think you should be.');
  });

  it('shows the words a service wrote for the person, for every code a service refuses with', () => {
    for (const code of DOMAIN_ERROR_CODES) expect(refusalSentence(refusal(code, 'a moderator muted you until 12:00 UTC: you can read but not send'))).toBe('A moderator muted you until 12:00 UTC: you can read but not send.');
    // tRPC's own words for an internal failure are not for people.
    expect(refusalSentence(refusal('INTERNAL_SERVER_ERROR', 'TypeError: x is undefined', { requestId: 'r-42' }))).toBe(
      'Something went wrong on the server. Try again; if it keeps happening, tell the server’s admins. (Request id r-42.)',
    );
  });

  it('says a ban is a ban, with its reason, and a network failure is not the server', () => {
    const banned = refusal('FORBIDDEN', 'This account is banned (spam links); contact…', { banned: { reason: 'spam links' } });
    expect(banOf(banned)).toEqual({ reason: 'spam links' });
    expect(refusalSentence(banned)).toBe('You were banned from this server: Spam links. If you think this is a mistake, contact the server’s admins.');
    expect(refusalSentence(refusal('FORBIDDEN', 'x', { banned: { reason: null } }))).toBe('You were banned from this server. If you think this is a mistake, contact the server’s admins.');
    expect(banOf(refusal('FORBIDDEN', 'Join #x first'))).toBeNull();
    expect(refusalSentence(new TypeError('fetch failed'))).toBe(NO_CONNECTION);
    expect(refusalSentence(refusal('TOO_MANY_REQUESTS', '', { retryAfterSeconds: 2.2 }))).toBe('Too many requests at once. Try again in 3 s.');
  });

  it('always answers with one non-empty sentence, whatever the server sent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...TRPC_CODES), fc.string()), fc.string(), fc.option(fc.anything()), (code, message, banned) => {
        const s = refusalSentence(refusal(code, message, { banned }));
        expect(s.length).toBeGreaterThan(1);
        expect(s).toMatch(/[.!?…)]$/);
      }),
    );
    // fast-check's counterexample (seed 208156512): a code named after an Object.prototype key.
    for (const code of ['toString', '__proto__', 'constructor']) expect(refusalSentence(refusal(code, '', { banned: null }))).toMatch(/^.{2,}[.!?…)]$/);
  });
});
