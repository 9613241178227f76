import { describe, expect, it } from 'vitest';
import { resolveApiEndpoints } from './api-endpoints';

describe('resolveApiEndpoints', () => {
  it('uses the page origin with ws: under http:', () => {
    expect(resolveApiEndpoints({ protocol: 'http:', host: '192.168.1.20:8080' })).toEqual({
      httpUrl: 'http://192.168.1.20:8080/trpc',
      wsUrl: 'ws://192.168.1.20:8080/ws',
    });
  });

  it('switches to wss: under https:', () => {
    expect(resolveApiEndpoints({ protocol: 'https:', host: 'chat.example' }).wsUrl).toBe('wss://chat.example/ws');
  });

  it('prefers the override, keeping its path prefix', () => {
    expect(resolveApiEndpoints({ protocol: 'http:', host: 'localhost:5173' }, 'https://api.example/chat/')).toEqual({
      httpUrl: 'https://api.example/chat/trpc',
      wsUrl: 'wss://api.example/chat/ws',
    });
  });

  it('ignores an empty override', () => {
    expect(resolveApiEndpoints({ protocol: 'http:', host: 'localhost:8080' }, '  ').httpUrl).toBe('http://localhost:8080/trpc');
  });
});
