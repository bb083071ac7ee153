import { appendEvents } from '@vigil/event-store';
import { useApiOnTestDatabase } from '../support/test-api-database';
import { readJson } from '../support/read-json';
import { waitFor } from '../support/wait-for';

// Writers here hold transactions open on purpose, which holds back the xmin horizon of the whole
// cluster: this runs in the serial pass (jest.serial.config.js), after every other suite.

const WRITERS = 8;
const APPENDS_PER_WRITER = 40;
const APPEND_SQL = `SELECT vigil_append(ARRAY[$1], ARRAY[NULL::bigint], $2, NULL, NULL, NULL) AS result`;

describe('Following GET /v1/admin/events by nextCursor', () => {
  const { db, api } = useApiOnTestDatabase();

  it('meets every event exactly once while 8 writers append, every third append holding its commit open', async () => {
    let pagesRead = 0;
    let writing = true;
    const appended: number[] = [];
    const seen: number[] = [];

    /** Holds the append's transaction open until the follower has read two more pages past it. */
    async function heldAppend(streamId: string, data: object): Promise<number[]> {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        const events = JSON.stringify([{ stream: 1, type: 'Followed', schemaVersion: 1, data }]);
        const { rows } = await client.query(APPEND_SQL, [streamId, events]);
        const readBefore = pagesRead;
        await waitFor(() => pagesRead >= readBefore + 2, { what: 'the follower to read on past a held append' });
        await client.query('COMMIT');
        return rows[0].result.positions;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    }

    async function writer(w: number): Promise<void> {
      for (let i = 0; i < APPENDS_PER_WRITER; i++) {
        const streamId = `writer-${w}`;
        const data = { w, i };
        const positions =
          (w + i) % 3 === 0
            ? await heldAppend(streamId, data)
            : (
                await appendEvents(db.pool, [
                  { streamId, expected: 'any', events: [{ type: 'Followed', schemaVersion: 1, data }] },
                ])
              ).positions;
        appended.push(...positions);
      }
    }

    async function follower(): Promise<void> {
      let cursor: string | undefined;
      let giveUpAt: number | undefined;
      for (;;) {
        const query = cursor === undefined ? 'limit=5' : `limit=5&cursor=${encodeURIComponent(cursor)}`;
        const page = await readJson(await api.request(`/v1/admin/events?${query}`, { admin: true }));
        pagesRead++;
        seen.push(...page.items.map((event: { position: number }) => event.position));
        cursor = page.nextCursor;
        // Caught up: the writers are done, the log gave nothing more, and as many events came as went in.
        if (!writing && page.items.length === 0 && seen.length >= appended.length) return;
        // Some events never come: give up 10 s after the writers stopped; the assertions below name them.
        if (!writing && Date.now() > (giveUpAt ??= Date.now() + 10_000)) return;
      }
    }

    const following = follower();
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
    writing = false;
    await following;

    expect(appended).toHaveLength(WRITERS * APPENDS_PER_WRITER);
    const missed = appended.filter((position) => !seen.includes(position));
    expect(missed).toEqual([]);
    expect(seen).toHaveLength(new Set(seen).size);
    expect([...seen].sort((a, b) => a - b)).toEqual([...appended].sort((a, b) => a - b));
  });
});
