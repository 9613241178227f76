import type { ChatMessage } from '@chat/api';
import { expectTypeOf, it } from 'vitest';
import type { ChatClient } from './index';

// This file is part of `tsc -p .` (the typecheck script), so an unused @ts-expect-error fails the build.
it('checks procedure inputs and outputs at compile time', () => {
  const calls = (client: ChatClient) => {
    // @ts-expect-error — the field is `text`, so a typo does not compile.
    void client.chat.send.mutate({ txt: 'x' });
    // @ts-expect-error — limit is a number.
    void client.chat.history.query({ limit: '10' });
    return client.chat.send.mutate({ text: 'x' });
  };
  expectTypeOf(calls).returns.resolves.toEqualTypeOf<ChatMessage>();
  expectTypeOf<Parameters<ChatClient['chat']['send']['mutate']>[0]>().toEqualTypeOf<{ roomId?: string | undefined; text: string; clientMessageId?: string | undefined; replyTo?: string | undefined; attachmentIds?: string[] | undefined }>();
});
