import { UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { VigilConfig } from '@vigil/platform';
import { RateLimitedError } from '../http/rate-limited.error';
import { AdminAuthFailures } from './admin-auth-failures';
import { AdminTokenGuard } from './admin-token.guard';

const TOKEN = 'admin-token-0123456789abcdef0123456789';

describe(AdminTokenGuard.name, () => {
  let clock: number;
  let guard: AdminTokenGuard;
  beforeEach(() => {
    clock = 0;
    guard = new AdminTokenGuard({ adminToken: TOKEN } as VigilConfig, new AdminAuthFailures(() => clock));
  });

  /** A request as Fastify gives it to the guard (the one named stand-in of this unit). */
  const from = (ip: string, token: string) =>
    ({
      switchToHttp: () => ({
        getRequest: () => ({ ip, socket: {}, headers: { authorization: `Bearer ${token}` } }),
      }),
    }) as unknown as ExecutionContext;

  const attempt = (ip: string, token: string): 'ok' | 401 | 429 => {
    try {
      guard.canActivate(from(ip, token));
      return 'ok';
    } catch (error) {
      if (error instanceof UnauthorizedException) return 401;
      if (error instanceof RateLimitedError) return 429;
      throw error;
    }
  };

  it('refuses the 21st failure of a minute with 429, even when it brings the right token', () => {
    for (let i = 0; i < 20; i++) expect(attempt('203.0.113.1', 'wrong')).toBe(401);
    expect(attempt('203.0.113.1', 'wrong')).toBe(429);
    expect(attempt('203.0.113.1', TOKEN)).toBe(429);
    expect(attempt('203.0.113.2', TOKEN)).toBe('ok');
  });

  it('lets one more try through every 3 seconds, 20 a minute', () => {
    for (let i = 0; i < 20; i++) attempt('203.0.113.1', 'wrong');
    clock += 2_999;
    expect(attempt('203.0.113.1', TOKEN)).toBe(429);
    clock += 1;
    expect(attempt('203.0.113.1', TOKEN)).toBe('ok');
    expect(attempt('203.0.113.1', 'wrong')).toBe(401);
    expect(attempt('203.0.113.1', 'wrong')).toBe(429);
    clock += 60_000;
    for (let i = 0; i < 20; i++) expect(attempt('203.0.113.1', 'wrong')).toBe(401);
  });

  it('does not count successes', () => {
    for (let i = 0; i < 100; i++) expect(attempt('203.0.113.1', TOKEN)).toBe('ok');
    for (let i = 0; i < 20; i++) expect(attempt('203.0.113.1', 'wrong')).toBe(401);
  });

  it('counts the addresses of one IPv6 /64 together', () => {
    for (let i = 0; i < 20; i++) expect(attempt(`2001:db8:1:2::${i + 1}`, 'wrong')).toBe(401);
    expect(attempt('2001:db8:1:2:ffff::1', 'wrong')).toBe(429);
  });
});
