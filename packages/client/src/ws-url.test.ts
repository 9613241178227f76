import { describe, expect, it } from 'vitest';
import { toTrpcUrl, toWebSocketUrl } from './ws-url';

describe('toWebSocketUrl', () => {
  it('maps http to ws and https to wss, at /ws', () => {
    expect(toWebSocketUrl('http://localhost:8080')).toBe('ws://localhost:8080/ws');
    expect(toWebSocketUrl('https://chat.example.com/')).toBe('wss://chat.example.com/ws');
  });

  it('keeps a path prefix, for a server mounted under one', () => {
    expect(toWebSocketUrl('https://example.com/chat/')).toBe('wss://example.com/chat/ws');
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => toWebSocketUrl('ws://localhost:8080')).toThrow(/http/);
  });
});

describe('toTrpcUrl', () => {
  it('puts /trpc under the base', () => {
    expect(toTrpcUrl('http://localhost:8080')).toBe('http://localhost:8080/trpc');
    expect(toTrpcUrl('https://example.com/chat/?x=1')).toBe('https://example.com/chat/trpc');
  });
});
