import { seedReports } from './seed';
import { createSource, reportIncident } from './signed-webhook';
import type { TestStack } from './test-stack';

export interface DisputedArrest {
  ihr: { id: string; secret: string };
  second: { id: string; secret: string };
  /** The seed case's incidents by the report's externalId. */
  seeded: Map<string, string>;
}

/**
 * The console's incident scenario (docs/console.md): a partner's system at `watcherUrl` watches Zahra Rahimi by
 * webhook (her incident's page lists the alerts it was sent), Iran Human Rights reports the seed case through its
 * signed webhook, and a second partner dates her arrest a day earlier, 5 September: one incident, disputed on its
 * date. Settled (every alert sent) when it returns.
 */
export async function seedDisputedArrest(stack: TestStack, watcherUrl: string): Promise<DisputedArrest> {
  const watching = await stack.api.request('/v1/admin/webhook-subscriptions', {
    method: 'POST',
    admin: true,
    json: { url: watcherUrl, watch: { persons: ['Zahra Rahimi'], organizations: [] } },
  });
  expect(watching.status).toBe(201);
  const ihr = await createSource(stack.api, 'Iran Human Rights');
  const second = await createSource(stack.api, 'Fictional Second Monitor');
  const seeded = new Map<string, string>();
  for (const seed of seedReports()) seeded.set(seed.externalId, await reportIncident(stack.api, ihr, seed));
  const rahimi = seedReports().find((r) => r.externalId === 'ihr-2020-09-06-rahimi-arrest');
  expect(
    await reportIncident(stack.api, second, { ...rahimi, externalId: 'second-rahimi', occurredOn: '2020-09-05' }),
  ).toBe(seeded.get('ihr-2020-09-06-rahimi-arrest'));
  await stack.settled();
  return { ihr, second, seeded };
}
