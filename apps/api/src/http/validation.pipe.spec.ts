import { MAX_NESTING, nestsDeeperThan } from './validation.pipe';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('nestsDeeperThan', () => {
  it('lets a body as deep as the limit through and refuses one level more', () => {
    expect(nestsDeeperThan(nested(MAX_NESTING), MAX_NESTING)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_NESTING + 1), MAX_NESTING)).toBe(true);
  });

  it('measures 32,000 levels (what 64 KiB of JSON holds) without overflowing the stack itself', () => {
    expect(nestsDeeperThan(JSON.parse(`${'['.repeat(32_000)}${']'.repeat(32_000)}`), MAX_NESTING)).toBe(true);
  });

  it('takes scalars, empty containers and wide flat bodies as shallow', () => {
    for (const value of [undefined, null, 'text', 0, [], {}, Array.from({ length: 10_000 }, (_, i) => ({ i }))]) {
      expect(nestsDeeperThan(value, MAX_NESTING)).toBe(false);
    }
  });
});
