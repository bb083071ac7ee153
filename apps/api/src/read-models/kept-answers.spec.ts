import { KeptAnswers } from './kept-answers';

const bytes = (length: number) => Buffer.alloc(length, 'x');

describe('KeptAnswers', () => {
  let now: number;
  const kept = (limits: Partial<ConstructorParameters<typeof KeptAnswers>[0]> = {}) =>
    new KeptAnswers({ maxBytes: 100, minBytes: 10, maxIdleMs: 1_000, ...limits }, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('gives an answer back only at the stamp it was read at, and lets it go at another', () => {
    const answers = kept();
    answers.keep('a', 'stamp-1', bytes(20));
    expect(answers.stampOf('a')).toBe('stamp-1');
    expect(answers.take('a', 'stamp-1')).toEqual(bytes(20));
    expect(answers.take('a', 'stamp-2')).toBeUndefined();
    expect(answers.stampOf('a')).toBeUndefined();
    expect(answers.size).toBe(0);
  });

  it('keeps no answer smaller than minBytes or larger than maxBytes, and none at all with maxBytes 0', () => {
    const answers = kept();
    answers.keep('small', 's', bytes(9));
    answers.keep('large', 's', bytes(101));
    expect([answers.stampOf('small'), answers.stampOf('large'), answers.size]).toEqual([undefined, undefined, 0]);
    const none = kept({ maxBytes: 0, minBytes: 0 });
    none.keep('a', 's', bytes(1));
    expect(none.stampOf('a')).toBeUndefined();
  });

  it('makes room by letting the least recently used go first', () => {
    const answers = kept();
    answers.keep('a', 's', bytes(40));
    answers.keep('b', 's', bytes(40));
    answers.take('a', 's');
    answers.keep('c', 's', bytes(40));
    expect(['a', 'b', 'c'].map((key) => answers.stampOf(key))).toEqual(['s', undefined, 's']);
    expect(answers.size).toBe(80);
  });

  it('replaces the answer of a key, counting its bytes once', () => {
    const answers = kept();
    answers.keep('a', 's1', bytes(40));
    answers.keep('a', 's2', bytes(30));
    expect(answers.stampOf('a')).toBe('s2');
    expect(answers.size).toBe(30);
  });

  it('lets go of an answer not asked for in maxIdleMs', () => {
    const answers = kept();
    answers.keep('a', 's', bytes(20));
    answers.keep('b', 's', bytes(20));
    now = 900;
    answers.take('b', 's');
    now = 1_500;
    expect(answers.stampOf('a')).toBeUndefined();
    expect(answers.stampOf('b')).toBe('s');
    answers.keep('c', 's', bytes(20));
    now = 2_000;
    answers.keep('d', 's', bytes(20));
    expect(answers.stampOf('b')).toBeUndefined();
    expect(answers.size).toBe(40);
  });
});
