import { ConfigError } from '@vigil/platform';
import { deliverySettings } from './delivery-settings';

/** The sweeper's staleness must outlast the longest send (docs/architecture.md, "Retries and the sweeper"). */
describe(deliverySettings.name, () => {
  it("keeps production's defaults: a minute of staleness over transports that give up after 10 s", () => {
    expect(deliverySettings()).toEqual({
      sweeper: { intervalMs: 30_000, staleAfterMs: 60_000 },
      webhooks: { timeoutMs: 10_000 },
      mail: { timeoutMs: 10_000 },
      shutdown: { deadlineMs: 7_000 },
    });
  });

  it('takes a short staleness when both transports give up within it', () => {
    const quick = { sweeper: { intervalMs: 200, staleAfterMs: 2_000 }, webhooks: { timeoutMs: 500 } };
    expect(deliverySettings({ ...quick, mail: { timeoutMs: 2_000 } })).toMatchObject({
      sweeper: { staleAfterMs: 2_000 },
      webhooks: { timeoutMs: 500 },
      mail: { timeoutMs: 2_000 },
    });
  });

  it.each([
    [
      'a webhook timeout',
      { sweeper: { staleAfterMs: 60_000 }, webhooks: { timeoutMs: 120_000 } },
      'webhooks.timeoutMs (120000 ms)',
    ],
    [
      'the mail timeout',
      { sweeper: { staleAfterMs: 2_000 }, webhooks: { timeoutMs: 500 } },
      'mail.timeoutMs (10000 ms)',
    ],
  ])('refuses a staleness shorter than %s, naming both settings', (_, options, transport) => {
    expect(() => deliverySettings(options)).toThrow(ConfigError);
    expect(() => deliverySettings(options)).toThrow(
      `sweeper.staleAfterMs (${options.sweeper.staleAfterMs} ms) is shorter than ${transport}`,
    );
  });
});
