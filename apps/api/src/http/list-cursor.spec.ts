import { KEY, ListCursor } from './list-cursor';
import { RequestValidationError } from './request-validation.error';

const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe(ListCursor.name, () => {
  const creation = new ListCursor('deliveries', { createdAtUs: KEY.epochMicroseconds, id: KEY.uuid });
  const id = '0b7c3a52-4a4e-4f6a-9d53-1f6d8a1c2b3e';

  it('hands back the key it encoded, microseconds and all', () => {
    const key = { createdAtUs: 1_796_072_570_709_776, id };
    expect(creation.decode(creation.encode(key))).toEqual(key);
    expect(creation.decode(undefined)).toBeUndefined();
  });

  it('answers a page with nextCursor only when more follow', () => {
    expect(creation.page({ items: [1], next: null })).toEqual({ items: [1], nextCursor: null });
    const page = creation.page({ items: [1], next: { createdAtUs: 5, id } });
    expect(creation.decode(page.nextCursor!)).toEqual({ createdAtUs: 5, id });
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['a bare number', encoded(1)],
    ['JSON that is not an array', encoded({ createdAtUs: 1, id })],
    ['another version', encoded([2, 'deliveries', 1, id])],
    ['another list', encoded([1, 'sources', 1, id])],
    ['a missing part', encoded([1, 'deliveries', 1])],
    ['an extra part', encoded([1, 'deliveries', 1, id, 1])],
    ['a time as a date string', encoded([1, 'deliveries', '2020-02-30', id])],
    ['a time as a fraction', encoded([1, 'deliveries', 1.5, id])],
    ['a time before the epoch', encoded([1, 'deliveries', -1, id])],
    ['a time beyond 2^53', encoded([1, 'deliveries', 2 ** 60, id])],
    ['an id that is no uuid', encoded([1, 'deliveries', 1, 'not-a-uuid'])],
    ['an id with a NUL', encoded([1, 'deliveries', 1, `${id.slice(0, 35)}\u0000`])],
  ])('refuses %s with a 400 naming the cursor', (_, cursor) => {
    let error: unknown;
    try {
      creation.decode(cursor);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });

  it.each([
    ['2020-02-29', true],
    ['2021-02-29', false],
    ['2020-02-30', false],
    ['0000-01-01', false],
    ['0001-01-01', true],
    ['9999-12-31', true],
    ['2020-1-01', false],
  ])('takes %s as a day: %s', (day, valid) => {
    expect(KEY.day.accepts(day)).toBe(valid);
  });

  it.each([
    ['infinity', true],
    ['2020-02-29', true],
    ['2020-02-30', false],
    ['-infinity', false],
    ['Infinity', false],
  ])('takes %s as the start of an incident (infinity: a day without a year): %s', (day, valid) => {
    expect(KEY.dayOrInfinity.accepts(day)).toBe(valid);
    expect(KEY.day.accepts('infinity')).toBe(false);
  });

  it.each([
    ['0', true],
    ['18446744073709551615', true],
    ['18446744073709551616', false],
    ['01', false],
    ['-1', false],
    [1, false],
  ])('takes %j as a transaction id: %s', (value, valid) => {
    expect(KEY.transactionId.accepts(value)).toBe(valid);
  });

  it('refuses text PostgreSQL cannot hold, and text longer than the list allows', () => {
    const text = KEY.text(5);
    expect(text.accepts('Zahra')).toBe(true);
    expect(text.accepts('a\u0000b')).toBe(false);
    expect(text.accepts('\ud800')).toBe(false);
    expect(text.accepts('Zahra!')).toBe(false);
  });
});
