import { describe, expect, it } from 'vitest';
import { createHostCheck, hostnameOf, hostRefusal } from './allowed-hosts';

describe('hostnameOf', () => {
  it('reads names, IPv4 and bracketed IPv6 with or without a port, and refuses malformed ones', () => {
    expect(hostnameOf('Chat.Example.com:8080')).toBe('chat.example.com');
    expect(hostnameOf('chat.example.com.')).toBe('chat.example.com');
    expect(hostnameOf('10.0.0.1:80')).toBe('10.0.0.1');
    expect(hostnameOf('[::1]:8080')).toBe('::1');
    expect(hostnameOf('[fe80::1]')).toBe('fe80::1');
    for (const bad of ['', 'a:b:c', 'host:port', '[::1', '[not-ip]:80', '[::1]x', 'a b', 'évil.example', 'a@b']) expect(hostnameOf(bad)).toBeNull();
  });
});

describe('createHostCheck', () => {
  const check = createHostCheck(['chat.example.com', '.example.org'], ['https://app.example.net:8443']);

  it('always answers IP literals and localhost, so LAN and public-IP use need no setting', () => {
    for (const host of ['127.0.0.1:8080', '192.168.1.20', '203.0.113.7:8080', '[::1]:8080', '[2001:db8::2]', 'localhost', 'localhost:5173', 'web.localhost']) expect(check(host), host).toBe(true);
  });

  it('answers listed names, subdomains of a dotted entry, and ALLOWED_ORIGINS hosts, and nothing else', () => {
    for (const host of ['chat.example.com', 'CHAT.example.com:443', 'example.org', 'a.b.example.org', 'app.example.net']) expect(check(host), host).toBe(true);
    for (const host of ['rebind.example', 'sub.chat.example.com', 'evilexample.org', 'example.org.evil.test', 'example.net', 'localhost.evil.test', '127.0.0.1.evil.test', 'a:b:c']) expect(check(host), host).toBe(false);
  });

  it('lets a request without Host through (not a browser), and * allow every name', () => {
    expect(check(undefined)).toBe(true);
    expect(createHostCheck(['*'], [])('anything.example')).toBe(true);
  });

  it('names the setting in its refusal', () => {
    expect(hostRefusal('rebind.example:8080')).toContain('ALLOWED_HOSTS=rebind.example');
  });
});
