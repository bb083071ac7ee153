import { Controller, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, createRedis, Metrics, type VigilConfig } from '@vigil/platform';
import { ApiModule } from '../../apps/api/src/api.module';
import { createValidationPipe } from '../../apps/api/src/http/validation.pipe';
import { ROTATED_SECRET_VALID_MS, SourceSecrets } from '../../apps/api/src/sources/source-secrets';
import { SourcesModule } from '../../apps/api/src/sources/sources.module';
import { signStandardWebhook, verifyStandardWebhook, WebhookVerificationError } from '@vigil/delivery';
import {
  VerifiedSourceParam,
  WebhookSignatureGuard,
  type VerifiedSource,
} from '../../apps/api/src/sources/webhook-signature.guard';
import { expectProblem } from '../support/expect-problem';
import { readJson } from '../support/read-json';
import { useApiOnTestDatabase } from '../support/test-api-database';
import { testConfig } from '../support/test-config';
import { dropQueuePrefix } from '../support/test-queue-prefix';

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Test-only route behind the guard, the way the intake's webhook route uses it: the guard is built in a
 * module that imports SourcesModule, and the handler reads the verified source.
 */
@Controller('probe/webhooks')
class SignedProbeController {
  @Post(':sourceId')
  @HttpCode(200)
  @UseGuards(WebhookSignatureGuard)
  accept(@VerifiedSourceParam() source: VerifiedSource): VerifiedSource {
    return source;
  }
}

@Module({ imports: [SourcesModule], controllers: [SignedProbeController] })
class SignedProbeModule {}

/** The API's modules plus the probe route, with the raw body kept as createApiApp keeps it. */
async function startProbeApp(config: VigilConfig): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
  const logger = createLogger('vigil-sources-probe', process.env.LOG_LEVEL ?? 'silent');
  const app = await NestFactory.create<NestFastifyApplication>(
    {
      module: class SignedProbeRoot {},
      imports: [ApiModule.forRoot(config, logger, new Metrics(false)), SignedProbeModule],
    },
    new FastifyAdapter(),
    { rawBody: true, logger: false },
  );
  app.useGlobalPipes(createValidationPipe());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

const unixNow = () => Math.floor(Date.now() / 1000);

/** A partner's request: JSON body bytes as sent, Standard Webhooks headers signed with `secret`. */
function signedPost(
  baseUrl: string,
  sourceId: string,
  secret: string,
  options: { body?: string; signedBody?: string; timestamp?: number } = {},
) {
  const body = options.body ?? '{"externalId": "r-1",\n "type": "arrest"}';
  const timestamp = options.timestamp ?? unixNow();
  const webhookId = `msg_${Math.random().toString(36).slice(2)}`;
  return fetch(`${baseUrl}/probe/webhooks/${sourceId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signStandardWebhook(webhookId, timestamp, options.signedBody ?? body, secret),
    },
    body,
  });
}

/** Whether a report signed with `secret` passes against the secrets the lookup returns at `now`. */
async function verifiesAt(secrets: SourceSecrets, sourceId: string, secret: string, now: Date): Promise<boolean> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const rawBody = Buffer.from('{"externalId":"r-1"}');
  try {
    verifyStandardWebhook({
      id: 'msg_1',
      timestamp,
      signatureHeader: signStandardWebhook('msg_1', timestamp, rawBody, secret),
      rawBody,
      secrets: await secrets.validSecrets(sourceId, now),
      now,
    });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError && error.reason === 'bad_signature') return false;
    throw error;
  }
}

describe('Sources', () => {
  const { db, api } = useApiOnTestDatabase();
  let secrets: SourceSecrets;

  beforeAll(async () => {
    secrets = api.app.get(SourceSecrets);
  });

  const createSource = async (name: string): Promise<{ id: string; name: string; secret: string }> => {
    const response = await api.request('/v1/admin/sources', { method: 'POST', admin: true, json: { name } });
    expect(response.status).toBe(201);
    return readJson(response);
  };

  type ListedSource = { id: string; kind: string; reliability: string | null };
  const everySource = async (): Promise<ListedSource[]> => {
    const items: ListedSource[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ListedSource[]; nextCursor: string | null } = await readJson(
        await api.request(`/v1/admin/sources?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { admin: true }),
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  const countSources = async () => (await db.pool.query('SELECT count(*)::int AS n FROM sources')).rows[0].n as number;

  it('creates a source and shows its secret once (201)', async () => {
    const response = await api.request('/v1/admin/sources', {
      method: 'POST',
      admin: true,
      json: { name: '  Iran Human Rights ' },
    });
    expect(response.status).toBe(201);
    const body = await readJson(response);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Iran Human Rights',
      kind: 'hr_ngo',
      reliability: null,
      secret: expect.stringMatching(SECRET),
    });
    expect(Buffer.from(body.secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect((await createSource('Iran Human Rights')).secret).not.toBe(body.secret);
  });

  it.each([
    ['hr_ngo', 'A'],
    ['independent_media', 'B'],
    ['state_media', 'C'],
    ['official', 'D'],
    ['lawyer', 'E'],
    ['family', 'F'],
    ['witness', undefined],
    ['anonymous', undefined],
    ['other', 'F'],
  ])('creates a source of kind %s, graded %s, and lists it so', async (kind, reliability) => {
    const response = await api.request('/v1/admin/sources', {
      method: 'POST',
      admin: true,
      json: { name: `A ${kind} source`, kind, reliability },
    });
    expect(response.status).toBe(201);
    const created = await readJson(response);
    expect(created).toMatchObject({ kind, reliability: reliability ?? null });
    const listed = await everySource();
    expect(listed.find((source) => source.id === created.id)).toMatchObject({ kind, reliability: reliability ?? null });
  });

  it('accepts a name of 200 characters', async () => {
    expect((await createSource('n'.repeat(200))).name).toBe('n'.repeat(200));
  });

  it('lists sources page by page, oldest first, without any secret', async () => {
    const issued = [await createSource('Hengaw'), await createSource('HRANA'), await createSource('Kurdpa')];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await api.request(`/v1/admin/sources?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        admin: true,
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toMatch(/whsec_|secret|sealed/i);
      for (const { secret } of issued) expect(text).not.toContain(secret.slice('whsec_'.length));
      const page = JSON.parse(text);
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items)
        expect(item).toEqual({
          id: expect.any(String),
          name: expect.any(String),
          kind: expect.any(String),
          // Null until graded; other tests create graded sources in this database.
          reliability: item.reliability === null ? null : expect.stringMatching(/^[A-F]$/),
          createdAt: expect.any(String),
          status: 'active',
          disabledAt: null,
        });
      seen.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM sources ORDER BY created_at, id');
    expect(seen).toEqual(rows.map((row) => row.id));
    expect(seen.slice(-3)).toEqual(issued.map((source) => source.id));
  });

  it.each([
    ['not JSON', 'not-a-cursor'],
    ['an impossible date', { c: '2026-02-30T00:00:00.000000Z', i: UNKNOWN_ID }],
    ['a date in another format', { c: 'yesterday', i: UNKNOWN_ID }],
    ['an id that is not a uuid', { c: '2026-01-01T00:00:00.000000Z', i: 'x' }],
  ])('answers a cursor it did not hand out (%s) with 400', async (_, position) => {
    const cursor = Buffer.from(typeof position === 'string' ? position : JSON.stringify(position)).toString(
      'base64url',
    );
    const body = await expectProblem(await api.request(`/v1/admin/sources?cursor=${cursor}`, { admin: true }), 400);
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
  });

  it('rotates the secret: both verify now, and the old one stops 24 hours after the rotation', async () => {
    const source = await createSource('Hengaw');
    const before = Date.now();
    const response = await api.request(`/v1/admin/sources/${source.id}/rotate-secret`, { method: 'POST', admin: true });
    const after = Date.now();
    expect(response.status).toBe(200);
    const rotated = await readJson(response);
    expect(rotated).toEqual({
      id: source.id,
      name: 'Hengaw',
      kind: 'hr_ngo',
      reliability: null,
      secret: expect.stringMatching(SECRET),
    });
    expect(rotated.secret).not.toBe(source.secret);

    const at = (ms: number) => new Date(ms);
    expect(await verifiesAt(secrets, source.id, source.secret, at(after))).toBe(true);
    expect(await verifiesAt(secrets, source.id, rotated.secret, at(after))).toBe(true);
    expect(await verifiesAt(secrets, source.id, source.secret, at(before + ROTATED_SECRET_VALID_MS - 60_000))).toBe(
      true,
    );
    expect(await verifiesAt(secrets, source.id, source.secret, at(after + ROTATED_SECRET_VALID_MS + 1_000))).toBe(
      false,
    );
    expect(await verifiesAt(secrets, source.id, rotated.secret, at(after + ROTATED_SECRET_VALID_MS + 1_000))).toBe(
      true,
    );
  });

  it('keeps every rotated-out secret to its own expiry and deletes the expired ones at the next rotation', async () => {
    const source = await createSource('Kurdpa');
    const t0 = new Date('2030-01-01T00:00:00Z');
    const second = (await secrets.rotate(source.id, t0))!;
    const third = (await secrets.rotate(source.id, new Date(t0.getTime() + 12 * 3_600_000)))!;
    const atHour = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);
    expect(await verifiesAt(secrets, source.id, source.secret, atHour(23))).toBe(true);
    expect(await verifiesAt(secrets, source.id, source.secret, atHour(25))).toBe(false);
    expect(await verifiesAt(secrets, source.id, second.secret, atHour(35))).toBe(true);
    expect(await verifiesAt(secrets, source.id, second.secret, atHour(37))).toBe(false);
    expect(await verifiesAt(secrets, source.id, third.secret, atHour(1000))).toBe(true);

    await secrets.rotate(source.id, atHour(40));
    const { rows } = await db.pool.query('SELECT expires_at FROM source_secrets WHERE source_id = $1', [source.id]);
    expect(rows).toHaveLength(2); // the third, rotated out now, and the new current one
  });

  it('leaves exactly one current secret after concurrent rotations, each retiring the one before', async () => {
    const source = await createSource('HRANA');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.request(`/v1/admin/sources/${source.id}/rotate-secret`, { method: 'POST', admin: true }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const { rows } = await db.pool.query<{ current: number; all: number }>(
      'SELECT count(*) FILTER (WHERE expires_at IS NULL)::int AS current, count(*)::int AS "all" FROM source_secrets WHERE source_id = $1',
      [source.id],
    );
    expect(rows[0]).toEqual({ current: 1, all: 9 });
    for (const response of responses)
      expect(await verifiesAt(secrets, source.id, (await readJson(response)).secret, new Date())).toBe(true);
  });

  it.each([
    ['an unknown id', UNKNOWN_ID],
    ['an id that is not a uuid', 'not-a-uuid'],
  ])('answers a rotation of %s with 404', async (_, id) => {
    await expectProblem(
      await api.request(`/v1/admin/sources/${id}/rotate-secret`, { method: 'POST', admin: true }),
      404,
    );
  });

  it.each([
    ['GET', '/v1/admin/sources'],
    ['POST', '/v1/admin/sources'],
    ['POST', `/v1/admin/sources/${UNKNOWN_ID}/rotate-secret`],
  ])('refuses %s %s without the admin token (401)', async (method, path) => {
    const before = await countSources();
    await expectProblem(
      await api.request(path, { method, json: method === 'POST' ? { name: 'Intruder' } : undefined }),
      401,
    );
    expect(await countSources()).toBe(before);
  });

  it.each([
    ['a missing name', {}, 'name'],
    ['an empty name', { name: '' }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name of 201 characters', { name: 'n'.repeat(201) }, 'name'],
    ['a name that is not a string', { name: 42 }, 'name'],
    ['a null name', { name: null }, 'name'],
    ['an unknown field', { name: 'Hengaw', secret: 'whsec_mine' }, 'secret'],
    ['an unknown kind', { name: 'Hengaw', kind: 'blogger' }, 'kind'],
    ['a kind in capitals', { name: 'Hengaw', kind: 'HR_NGO' }, 'kind'],
    ['a null kind', { name: 'Hengaw', kind: null }, 'kind'],
    ['a kind that is not a string', { name: 'Hengaw', kind: ['hr_ngo'] }, 'kind'],
    ['reliability G', { name: 'Hengaw', reliability: 'G' }, 'reliability'],
    ['reliability in lower case', { name: 'Hengaw', reliability: 'a' }, 'reliability'],
    ['reliability as a number', { name: 'Hengaw', reliability: 1 }, 'reliability'],
    ['a null reliability', { name: 'Hengaw', reliability: null }, 'reliability'],
    ['reliability AB', { name: 'Hengaw', reliability: 'AB' }, 'reliability'],
  ])('refuses %s with 400 naming the field, and creates nothing', async (_, json, path) => {
    const before = await countSources();
    const body = await expectProblem(
      await api.request('/v1/admin/sources', { method: 'POST', admin: true, json }),
      400,
    );
    expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await countSources()).toBe(before);
  });

  it('refuses a body that is not an object, or no body at all, with 400', async () => {
    const before = await countSources();
    await expectProblem(await api.request('/v1/admin/sources', { method: 'POST', admin: true, json: ['Hengaw'] }), 400);
    await expectProblem(await api.request('/v1/admin/sources', { method: 'POST', admin: true }), 400);
    expect(await countSources()).toBe(before);
  });

  it('stores secrets sealed: no issued secret, nor its key, is in the table', async () => {
    const issued = await createSource('Dump check');
    const { rows } = await db.pool.query<{ sealed: string }>('SELECT sealed FROM source_secrets');
    expect(rows.length).toBeGreaterThan(0);
    for (const { sealed } of rows) {
      expect(sealed).toMatch(/^v2\.[0-9a-f]{8}\./);
      expect(sealed).not.toContain('whsec_');
      expect(sealed).not.toContain(issued.secret.slice('whsec_'.length));
      expect(Buffer.from(sealed.split('.')[2], 'base64url').toString('latin1')).not.toContain('whsec_');
    }
    const { rows: dump } = await db.pool.query<{ dump: string }>(
      `SELECT string_agg(t::text, '|') AS dump FROM source_secrets t`,
    );
    expect(dump[0].dump).not.toContain(issued.secret.slice('whsec_'.length, 20));
  });

  describe(WebhookSignatureGuard.name, () => {
    let probe: { app: NestFastifyApplication; baseUrl: string };
    let source: { id: string; secret: string };
    const probeConfig = () => testConfig({ databaseUrl: db.url });
    let config: ReturnType<typeof probeConfig>;

    beforeAll(async () => {
      config = probeConfig();
      probe = await startProbeApp(config);
      source = await createSource('Signed partner');
    });
    afterAll(async () => {
      await probe?.app.close();
      const redis = createRedis(config.redisUrl);
      await dropQueuePrefix(redis, config.queuePrefix);
      await redis.quit();
    });

    it('lets a request signed with the source secret through and names the source and webhook id', async () => {
      const response = await signedPost(probe.baseUrl, source.id, source.secret);
      expect(response.status).toBe(200);
      expect(await readJson(response)).toEqual({ sourceId: source.id, webhookId: expect.stringMatching(/^msg_/) });
    });

    it('verifies the raw bytes: the same JSON signed with other spacing is refused', async () => {
      const body = '{"externalId": "r-1", "type": "arrest"}';
      const response = await signedPost(probe.baseUrl, source.id, source.secret, {
        body,
        signedBody: JSON.stringify(JSON.parse(body)),
      });
      await expectProblem(response, 401);
    });

    it('refuses a signature made with another source secret as it refuses an unknown source', async () => {
      const other = await createSource('Other partner');
      const wrong = await expectProblem(await signedPost(probe.baseUrl, source.id, other.secret), 401);
      const unknown = await expectProblem(await signedPost(probe.baseUrl, UNKNOWN_ID, source.secret), 401);
      const notUuid = await expectProblem(await signedPost(probe.baseUrl, 'hengaw', source.secret), 401);
      expect(unknown.detail).toBe(wrong.detail);
      expect(notUuid.detail).toBe(wrong.detail);
    });

    it('refuses a timestamp more than 5 minutes off', async () => {
      await expectProblem(
        await signedPost(probe.baseUrl, source.id, source.secret, { timestamp: unixNow() - 301 }),
        401,
      );
      await expectProblem(
        await signedPost(probe.baseUrl, source.id, source.secret, { timestamp: unixNow() + 301 }),
        401,
      );
    });

    it('refuses a request without the signature headers', async () => {
      const response = await fetch(`${probe.baseUrl}/probe/webhooks/${source.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      await expectProblem(response, 401);
    });

    it('takes a rotated secret at once in the same process, and still the old one', async () => {
      const partner = await createSource('Rotating partner');
      expect((await signedPost(probe.baseUrl, partner.id, partner.secret)).status).toBe(200); // now cached
      const rotation = await fetch(`${probe.baseUrl}/v1/admin/sources/${partner.id}/rotate-secret`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testConfig({ databaseUrl: db.url }).adminToken}` },
      });
      expect(rotation.status).toBe(200);
      const { secret } = await readJson(rotation);
      expect((await signedPost(probe.baseUrl, partner.id, secret)).status).toBe(200);
      expect((await signedPost(probe.baseUrl, partner.id, partner.secret)).status).toBe(200);
    });
  });
});
