import { parsePartialDate, type Calendar } from '@vigil/domain';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { SQL } from './incident-events';
import { latestStatusFirst, newestOccurredFirst, occurredKey } from './occurred-order';

// The order of incidents by when they happened lives in SQL (occurred-order.ts): these cases run it in
// PostgreSQL, on the columns the projections compute from an event's occurredOn.

describe('the order of incidents by when they happened', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  type Reported = [text: string, calendar?: Calendar];

  /** The reported dates, oldest first, as the read models order them (each reported in the order given). */
  async function oldestFirst(...dates: Reported[]): Promise<string[]> {
    return sorted(newestOccurredFirst('facts'), dates);
  }

  /** The reported dates, from the one giving a person's status last, as the persons projection ranks them. */
  async function statusLast(...dates: Reported[]): Promise<string[]> {
    return sorted(latestStatusFirst('facts'), dates);
  }

  async function sorted(newestFirst: string, dates: Reported[]): Promise<string[]> {
    const { rows } = await db.pool.query<{ text: string }>(
      `WITH e AS (
         SELECT d.text, jsonb_build_object('occurredOn', d.occurred_on) AS data, d.position
           FROM jsonb_to_recordset($1::jsonb) AS d(text text, occurred_on jsonb, position bigint)
       ), facts AS (
         SELECT text, ${SQL.occurredFrom} AS occurred_from, ${SQL.precisionRank} AS precision_rank, position FROM e
       )
       SELECT text FROM facts ORDER BY ${newestFirst}`,
      [
        JSON.stringify(
          dates.map(([text, calendar], position) => ({
            text: calendar === 'jalali' ? `${text} (jalali)` : text,
            occurred_on: parsePartialDate(text, calendar),
            position,
          })),
        ),
      ],
    );
    return rows.map((row) => row.text).reverse();
  }

  it('orders separate days by time', async () => {
    expect(await oldestFirst(['2020-09-07'], ['2020-09-06'])).toEqual(['2020-09-06', '2020-09-07']);
  });

  it('orders ranges that do not overlap by time, whatever their precision', async () => {
    expect(await oldestFirst(['2020-01-01'], ['2019'])).toEqual(['2019', '2020-01-01']);
    expect(await oldestFirst(['2020-10'], ['2020-09-30'])).toEqual(['2020-09-30', '2020-10']);
  });

  it('puts the more precise of two overlapping dates later', async () => {
    expect(await oldestFirst(['2020-09-07'], ['2020-09'])).toEqual(['2020-09', '2020-09-07']);
    expect(await oldestFirst(['2020-06-21'], ['2020'])).toEqual(['2020', '2020-06-21']);
    expect(await oldestFirst(['2020-09-30'], ['2020-09'])).toEqual(['2020-09', '2020-09-30']);
    expect(await oldestFirst(['2020-12'], ['2020'])).toEqual(['2020', '2020-12']);
    // Same start: only the precision tells them apart, whatever order they were reported in.
    expect(await oldestFirst(['2020-01-01'], ['2020'], ['2020-01'])).toEqual(['2020', '2020-01', '2020-01-01']);
  });

  it('orders equal dates by the later report, in either calendar', async () => {
    expect(await oldestFirst(['2020-09'], ['2020-09'])).toEqual(['2020-09', '2020-09']);
    expect(await oldestFirst(['2020-06-21'], ['1399-04-01', 'jalali'])).toEqual(['2020-06-21', '1399-04-01 (jalali)']);
    expect(await oldestFirst(['1399-04-01', 'jalali'], ['2020-06-21'])).toEqual(['1399-04-01 (jalali)', '2020-06-21']);
  });

  it('sorts a mixed timeline with the latest news last', async () => {
    expect(await oldestFirst(['2020-09-07'], ['2021'], ['2020'], ['2020-09'], ['2019-12-31'], ['2020-09-06'])).toEqual([
      '2019-12-31',
      '2020',
      '2020-09',
      '2020-09-06',
      '2020-09-07',
      '2021',
    ]);
  });

  it('stays an order when a Jalali year partly overlaps Gregorian dates', async () => {
    // A literal "the finer of overlapping dates is later" rule would make these three a cycle.
    expect(await oldestFirst(['1399', 'jalali'], ['2020-03-10'], ['2020-03'])).toEqual([
      '2020-03',
      '2020-03-10',
      '1399 (jalali)',
    ]);
  });

  it('puts a day without a year after every dated one, even the last day there is', async () => {
    expect(await oldestFirst(['--01-01'], ['9999-12-31'], ['2020'], ['1399', 'jalali'])).toEqual([
      '2020',
      '1399 (jalali)',
      '9999-12-31',
      '--01-01',
    ]);
  });

  it('orders days without a year by report, not by month and day (their years may differ)', async () => {
    expect(await oldestFirst(['--12-31'], ['--01-01'])).toEqual(['--12-31', '--01-01']);
  });

  it('lets a day without a year give the status only when nothing dated does', async () => {
    expect(await statusLast(['--06-11'], ['2019-05'], ['2018'])).toEqual(['--06-11', '2018', '2019-05']);
    expect(await statusLast(['--06-11'], ['--01-02'])).toEqual(['--06-11', '--01-02']);
  });

  it('compares two rows as it sorts them', async () => {
    const { rows } = await db.pool.query<{ later: boolean }>(
      `SELECT ${occurredKey('b')} > ${occurredKey('a')} AS later
         FROM (SELECT '2020-09-01'::date AS occurred_from, 2 AS precision_rank, 9 AS position) a,
              (SELECT '2020-09-07'::date AS occurred_from, 3 AS precision_rank, 1 AS position) b`,
    );
    expect(rows[0].later).toBe(true);
  });
});
