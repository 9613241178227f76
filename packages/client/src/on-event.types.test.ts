import type { ChatEvent } from '@chat/api';
import { describe, expectTypeOf, it } from 'vitest';
import type { ChatStreamEvent } from './on-event';

describe('onEvent types', () => {
  it('hands the handler exactly the router\'s event union, not any', () => {
    expectTypeOf<ChatStreamEvent>().toEqualTypeOf<ChatEvent>();
  });
});
