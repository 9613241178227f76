import { describe, expect, it } from 'vitest';
import { apiEndpointsForPage, toTrpcUrl, toWebSocketUrl } from './api-url';

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

describe('apiEndpointsForPage', () => {
  it('uses the page origin with ws: under http:', () => {
    expect(apiEndpointsForPage({ protocol: 'http:', host: '192.168.1.20:8080' })).toEqual({
      httpUrl: 'http://192.168.1.20:8080/trpc',
      wsUrl: 'ws://192.168.1.20:8080/ws',
    });
  });

  it('switches to wss: under https:', () => {
    expect(apiEndpointsForPage({ protocol: 'https:', host: 'chat.example' }).wsUrl).toBe('wss://chat.example/ws');
  });

  it('prefers the override, keeping its path prefix', () => {
    expect(apiEndpointsForPage({ protocol: 'http:', host: 'localhost:5173' }, 'https://api.example/chat/')).toEqual({
      httpUrl: 'https://api.example/chat/trpc',
      wsUrl: 'wss://api.example/chat/ws',
    });
  });

  it('ignores an empty override', () => {
    expect(apiEndpointsForPage({ protocol: 'http:', host: 'localhost:8080' }, '  ').httpUrl).toBe('http://localhost:8080/trpc');
  });
});
