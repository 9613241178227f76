import { expectTypeOf, it } from 'vitest';
import type { mutate } from '../accounts';
import type { CallFrame, OnEventItem, OutputOf } from './frames';

// Part of `tsc -p .` (the typecheck script): an unused @ts-expect-error fails the build, so each
// line below proves that a frame the router would refuse does not compile.
it('types the frames the bench builds from the router', () => {
  // @ts-expect-error: chat.send's field is `text`; a renamed input no longer compiles.
  void ({ id: 2, method: 'mutation', params: { path: 'chat.send', input: { txt: 'x' } } } satisfies CallFrame<'chat.send'>);
  // @ts-expect-error: chat.send is a mutation, not a query.
  void ({ id: 2, method: 'query', params: { path: 'chat.send', input: { text: 'x' } } } satisfies CallFrame<'chat.send'>);
  // @ts-expect-error: no such procedure.
  void ({ id: 1, method: 'subscription', params: { path: 'chat.onMessages', input: {} } } satisfies CallFrame<'chat.onMessages'>);
  // @ts-expect-error: chat.onEvent's lastEventId is a string (or null).
  void ({ id: 1, method: 'subscription', params: { path: 'chat.onEvent', input: { lastEventId: 7 } } } satisfies CallFrame<'chat.onEvent'>);
  void ({ id: 2, method: 'mutation', params: { path: 'chat.send', input: { roomId: '1', text: 'x' } } } satisfies CallFrame<'chat.send'>);

  const signup = (m: typeof mutate) => async () => {
    // @ts-expect-error: auth.login takes a username and a password.
    await m('http://x', 'auth.login', { user: 'a', password: 'b' });
    // @ts-expect-error: chat.history is a query, which `mutate` does not send.
    await m('http://x', 'chat.history', {});
    const { token, user } = await m('http://x', 'auth.login', { username: 'a', password: 'b' });
    return { token, id: user.id };
  };
  expectTypeOf(signup).returns.returns.resolves.toEqualTypeOf<{ token: string; id: string }>();
  expectTypeOf<OutputOf<'auth.login'>['token']>().toEqualTypeOf<string>();
  expectTypeOf<Extract<OnEventItem['data'], { type: 'message.created' }>['message']['text']>().toEqualTypeOf<string>();
});
