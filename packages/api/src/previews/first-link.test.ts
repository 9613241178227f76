import { describe, expect, it } from 'vitest';
import { firstLink } from './first-link';

describe('firstLink', () => {
  it('finds the first http(s) link without the punctuation that ends the sentence', () => {
    expect(firstLink('see https://a.example/x. and http://b.example')).toBe('https://a.example/x');
    expect(firstLink('(https://en.wikipedia.org/wiki/Foo_(bar))')).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(firstLink('[docs](https://docs.example/a?b=c)')).toBe('https://docs.example/a?b=c');
  });

  it('is null without a web link', () => {
    expect(firstLink('no link, ftp://x.example or javascript:alert(1)')).toBeNull();
    expect(firstLink('http://')).toBeNull();
  });
});
