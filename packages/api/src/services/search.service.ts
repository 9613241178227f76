import type { z } from 'zod';
import { snippetSegments } from '../messages/snippet';
import type { SearchResult, UserRef } from '../room-shapes';
import type { searchMessagesInput } from '../schemas/chat.schema';
import { toChatMessage } from '../shapes';
import type { CallDeps } from './deps';
import { requireMember } from './room-access';

/** chat.search: full-text search over the rooms the caller is a member of now (docs/decisions/100). */
export function createSearchService(call: CallDeps) {
  return {
    async search(user: UserRef, input: z.output<typeof searchMessagesInput>): Promise<{ results: SearchResult[]; nextBefore: string | null }> {
      if (input.roomId !== undefined) await requireMember(call.repos, input.roomId, user.id);
      await call.limits.consumeSearch(user.id);
      const { hits, hasMore } = await call.repos.messages.search({
        userId: user.id,
        query: input.query,
        roomId: input.roomId ?? null,
        before: input.before ?? null,
        limit: input.limit,
      });
      const results = hits.map(({ message, headline }) => ({
        message: { ...toChatMessage(message), roomId: message.roomId },
        snippet: snippetSegments(headline),
      }));
      return { results, nextBefore: hasMore ? (results.at(-1)?.message.id ?? null) : null };
    },
  };
}
