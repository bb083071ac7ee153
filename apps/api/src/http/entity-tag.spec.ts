import { ifNoneMatchNames, weakEntityTag } from './entity-tag';

describe('entity tags', () => {
  it('names an answer by its parts: the same parts the same tag, any other part another', () => {
    const tag = weakEntityTag('stamp-1', 'person/a');
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(weakEntityTag('stamp-1', 'person/a')).toBe(tag);
    expect(weakEntityTag('stamp-2', 'person/a')).not.toBe(tag);
    expect(weakEntityTag('stamp-1', 'person/b')).not.toBe(tag);
    // The parts are kept apart: moving a character from one to the next is another answer.
    expect(weakEntityTag('ab', 'c')).not.toBe(weakEntityTag('a', 'bc'));
  });

  it('reads If-None-Match as RFC 9110 does: *, or a list compared weakly', () => {
    const tag = weakEntityTag('s', 'k');
    const strong = tag.slice(2);
    expect(ifNoneMatchNames(tag, tag)).toBe(true);
    expect(ifNoneMatchNames(strong, tag)).toBe(true);
    expect(ifNoneMatchNames(`W/"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchNames('*', tag)).toBe(true);
    expect(ifNoneMatchNames('W/"other"', tag)).toBe(false);
    expect(ifNoneMatchNames('', tag)).toBe(false);
    expect(ifNoneMatchNames(undefined, tag)).toBe(false);
  });
});
