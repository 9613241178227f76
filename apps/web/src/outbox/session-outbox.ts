import { createOutbox, newClientMessageId, type Outbox, type OutboxItem, outboxVerdict } from '@chat/client/core';
import type { ConnectionMonitor } from '../connection/connection-monitor';
import type { trpc } from '../api/trpc';
import { indexedDbOutboxStore, outboxDatabaseName } from './indexeddb-outbox-store';
import { attachmentIdsOf } from './outbox-files';
import { coordinateOutboxTabs } from './outbox-tabs';

export type SessionOutbox = Outbox & { dispose(): void };

/**
 * The signed-in account's outbox: kept in IndexedDB under the account's id, sent over the session's
 * client whenever the connection monitor says the socket is up (decision 133), by one tab of the
 * account at a time (decision 139).
 */
export function createSessionOutbox(
  accountId: string,
  client: ReturnType<typeof trpc.createClient>,
  connection: ConnectionMonitor,
  /** The sentence for a refusal that stops an item (the web's own words for sends and for changes). */
  refusal: (error: unknown, item: OutboxItem) => string,
  /** The session's current token, for uploading the files of queued messages. */
  token: () => string = () => '',
): SessionOutbox {
  // Files of queued messages uploaded during this page's life, by their local id: a retry does not upload them again.
  const uploaded = new Map<string, string>();
  const usable = () => connection.getSnapshot().kind === 'connected';
  const store = indexedDbOutboxStore(accountId);
  const tabs = coordinateOutboxTabs(accountId, store);
  const outbox = createOutbox({
    store: tabs.store,
    newId: newClientMessageId,
    usable: usable(),
    leading: tabs.leadsAtStart,
    // Which refusals stop an item is the core's rule; how the web words them is the web's.
    verdict: (error, attempt, item) => {
      const verdict = outboxVerdict(error, attempt);
      return 'stop' in verdict ? { stop: refusal(error, item) } : verdict;
    },
    perform: (action) => {
      switch (action.kind) {
        case 'send':
          if (!action.files?.length) return client.chat.send.mutate(action.input);
          // Typed offline with files: they go up first, then the message with their ids (roomId is always set by the web).
          return attachmentIdsOf(action.files, action.input.roomId ?? '', token, uploaded).then((attachmentIds) =>
            client.chat.send.mutate({ ...action.input, attachmentIds }),
          );
        case 'reply':
          return client.thread.reply.mutate(action.input);
        case 'edit':
          return client.chat.edit.mutate(action.input);
        case 'react':
          return client.chat.react.mutate(action.input);
      }
    },
  });
  const unwatch = connection.subscribe(() => outbox.setUsable(usable()));
  tabs.start(outbox);
  return Object.assign(outbox, {
    dispose() {
      unwatch();
      // Stopped before the lock goes, so the next leader never sends alongside this tab.
      outbox.close();
      tabs.close();
      store.close();
    },
  });
}

/** "Log out" on a shared computer leaves nothing of the account's unsent work behind. */
export function forgetOutbox(accountId: string): void {
  if (typeof indexedDB !== 'undefined') indexedDB.deleteDatabase(outboxDatabaseName(accountId));
}
