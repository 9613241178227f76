import type { AppRouter } from '@chat/api';
import type { TRPCClient } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { ConnectionStateSource } from './connection-state';
import { createOutbox, memoryOutboxStore, newClientMessageId, type OutboxAction, type OutboxItem } from './core';

type Inputs = inferRouterInputs<AppRouter>['chat'];
type Outputs = inferRouterOutputs<AppRouter>['chat'];

/**
 * A bot's sends, edits and reactions, each delivered once and in the order made, whatever the
 * connection does meanwhile (decision 133). Kept in memory: they survive reconnects and server
 * restarts, not the bot's own process.
 */
export interface BotOutbox {
  /** Resolves with the stored message; a clientMessageId is made when none is given. Rejects only on a refusal retrying cannot fix (`error.data.code`). */
  send(input: Omit<Inputs['send'], 'clientMessageId'> & { clientMessageId?: string }): Promise<Outputs['send']>;
  edit(input: Inputs['edit']): Promise<Outputs['edit']>;
  react(input: Inputs['react']): Promise<Outputs['react']>;
  /** What is still waiting to go, in order. */
  items(): readonly OutboxItem[];
}

export function createBotOutbox(trpc: TRPCClient<AppRouter>, connection: ConnectionStateSource): BotOutbox & { close(): void } {
  const outbox = createOutbox({
    store: memoryOutboxStore(),
    newId: newClientMessageId,
    usable: connection.get().state === 'connected',
    perform: (action) => {
      switch (action.kind) {
        case 'send':
          return trpc.chat.send.mutate(action.input);
        case 'reply':
          return trpc.thread.reply.mutate(action.input);
        case 'edit':
          return trpc.chat.edit.mutate(action.input);
        case 'react':
          return trpc.chat.react.mutate(action.input);
      }
    },
  });
  // A client that gave up (its token refused for good) never connects again: tell whoever waits.
  const unwatch = connection.subscribe(({ state }) => (state === 'closed' ? outbox.close() : outbox.setUsable(state === 'connected')));

  const deliver = async (action: OutboxAction, roomId: string | null) => {
    const { item, result } = await outbox.deliver(action, roomId);
    try {
      return await result;
    } catch (error) {
      // The bot is told by the rejection; nothing shows a failed item, so it is not kept.
      void outbox.discard(item.id);
      throw error;
    }
  };

  return {
    send: async (input) =>
      (await deliver({ kind: 'send', input: { ...input, clientMessageId: input.clientMessageId ?? newClientMessageId() } }, input.roomId ?? null)) as Outputs['send'],
    edit: async (input) => (await deliver({ kind: 'edit', input }, null)) as Outputs['edit'],
    react: async (input) => (await deliver({ kind: 'react', input }, null)) as Outputs['react'],
    items: () => outbox.items(),
    close() {
      unwatch();
      outbox.close();
    },
  };
}
