import type { z } from 'zod';
import { DomainError } from '../errors';
import type { SearchResult, UserRef } from '../room-shapes';
import type { searchMessagesInput } from '../schemas/chat.schema';
import type { CallDeps } from './deps';

/** chat.search: full-text search over the rooms the caller is a member of. */
export function createSearchService(_call: CallDeps) {
  return {
    async search(_user: UserRef, _input: z.output<typeof searchMessagesInput>): Promise<{ results: SearchResult[]; nextBefore: string | null }> {
      throw new DomainError('SERVICE_UNAVAILABLE', 'not implemented yet');
    },
  };
}
