import type { ChatMessage, Reaction, SearchResult } from '@chat/api';
import { expectTypeOf, it } from 'vitest';
import type { ChatClient } from './index';

// Part of `tsc -p .` (the typecheck script): the lifecycle calls are typed from the router, so a
// wrong field or value does not compile, and their results are the contract's shapes.
it('types edit, delete, react, search and replies from the router', () => {
  const calls = (client: ChatClient) => {
    // @ts-expect-error — an edit needs the new text.
    void client.chat.edit.mutate({ messageId: '1' });
    // @ts-expect-error — `on` says whether the reaction is added or taken back; it is not optional.
    void client.chat.react.mutate({ messageId: '1', emoji: '👍' });
    // @ts-expect-error — the message answered is named by id.
    void client.chat.send.mutate({ text: 'x', replyTo: 1 });
    return {
      edit: client.chat.edit.mutate({ messageId: '1', text: 'fixed' }),
      remove: client.chat.delete.mutate({ messageId: '1' }),
      react: client.chat.react.mutate({ messageId: '1', emoji: '👍', on: true }),
      search: client.chat.search.query({ query: 'lunch', roomId: 'r', before: '9', limit: 10 }),
      reply: client.chat.send.mutate({ roomId: 'r', text: 'yes', replyTo: '1' }),
    };
  };
  expectTypeOf(calls).toBeFunction();
  type Results = ReturnType<typeof calls>;
  expectTypeOf<Awaited<Results['edit']>>().toEqualTypeOf<ChatMessage>();
  expectTypeOf<Awaited<Results['remove']>>().toEqualTypeOf<ChatMessage>();
  expectTypeOf<Awaited<Results['react']>>().toEqualTypeOf<{ messageId: string; reactions: Reaction[] }>();
  expectTypeOf<Awaited<Results['search']>>().toEqualTypeOf<{ results: SearchResult[]; nextBefore: string | null }>();
  expectTypeOf<Awaited<Results['reply']>['replyTo']>().toEqualTypeOf<ChatMessage['replyTo']>();
});
