/** Requests at once: the setup is not what is measured, and a burst past the API's pool waits, then gets 503s. */
const AT_ONCE = 50;

/**
 * `count` webhook subscriptions watching `name`, made through the admin API AT_ONCE at a time, spread over
 * `urls` in turn. A refused one stops the benchmark: a missing subscription would leave it waiting for a
 * delivery that never comes.
 */
export async function subscribeWebhooks(
  base: string,
  adminHeaders: Record<string, string>,
  urls: string[],
  name: string,
  count: number,
  watching: 'persons' | 'organizations' = 'persons',
): Promise<void> {
  for (let i = 0; i < count; i += AT_ONCE) {
    await Promise.all(
      Array.from({ length: Math.min(AT_ONCE, count - i) }, async (_, j) => {
        const response = await fetch(`${base}/v1/admin/webhook-subscriptions`, {
          method: 'POST',
          headers: adminHeaders,
          body: JSON.stringify({ url: urls[(i + j) % urls.length], watch: { [watching]: [name] } }),
        });
        if (response.status !== 201)
          throw new Error(`subscription refused: ${response.status} ${await response.text()}`);
      }),
    );
  }
}
