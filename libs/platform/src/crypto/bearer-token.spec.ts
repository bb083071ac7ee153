import { BearerToken } from './bearer-token';

describe(BearerToken.name, () => {
  const token = new BearerToken('metrics-token-0123456789');

  it.each([
    ['Bearer metrics-token-0123456789', true],
    ['bearer   metrics-token-0123456789  ', true],
    ['Bearer metrics-token-012345678', false],
    ['Bearer metrics-token-01234567890', false],
    ['Basic metrics-token-0123456789', false],
    ['metrics-token-0123456789', false],
    ['Bearer ', false],
    [undefined, false],
  ])('takes %p as the token: %p', (header, expected) => {
    expect(token.matches(header)).toBe(expected);
  });
});
