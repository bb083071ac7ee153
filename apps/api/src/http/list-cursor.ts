import type { KeysetPage } from '@vigil/platform';
import { RequestValidationError } from './request-validation.error';

/**
 * The one cursor format of every list: base64url of the JSON array `[version, list, ...key]`, where the
 * key is the sort key of the last row handed out, at the database's precision. Clients treat it as
 * opaque. The version lets the format change without misreading older cursors; the list name makes one
 * list's cursor a 400 on another. Every key part is checked for its type and range here, so nothing a
 * client writes or alters reaches PostgreSQL as a value it cannot take (which would be a 500).
 */
const VERSION = 1;

/** One part of a sort key: how it is checked when a cursor comes back. */
export interface KeyPart<T> {
  accepts(value: unknown): value is T;
}

const integer = (min: number, max: number): KeyPart<number> => ({
  accepts: (value): value is number =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const XID8_MAX = 2n ** 64n - 1n;

/** The kinds of sort-key parts the lists use. */
/** A calendar day `YYYY-MM-DD` that exists (no 2020-02-30), years 0001 to 9999. */
const KEY_DAY = {
  accepts: (value): value is string => {
    const match = typeof value === 'string' ? DAY.exec(value) : null;
    if (!match || match[1] === '0000') return false;
    const date = new Date(0);
    date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    return date.toISOString().slice(0, 10) === value;
  },
} as KeyPart<string>;

export const KEY = {
  uuid: { accepts: (value): value is string => typeof value === 'string' && UUID.test(value) } as KeyPart<string>,
  /** A row's position in the event log or a read model (bigint, read as a safe integer). */
  position: integer(0, Number.MAX_SAFE_INTEGER),
  /** `created_at` in microseconds since the epoch (see CreationKey). */
  epochMicroseconds: integer(0, Number.MAX_SAFE_INTEGER),
  smallint: integer(-32768, 32767),
  day: KEY_DAY,
  /** A day, or `infinity`: the start of an incident whose year is unknown (libs/projections/src/occurred-order.ts). */
  dayOrInfinity: {
    accepts: (value): value is string => value === 'infinity' || KEY_DAY.accepts(value),
  } as KeyPart<string>,
  /** Text PostgreSQL can hold (no NUL, no lone surrogate), at most `max` characters. */
  text: (max: number): KeyPart<string> => ({
    accepts: (value): value is string =>
      typeof value === 'string' && value.length <= max && !value.includes('\u0000') && value.isWellFormed(),
  }),
  /** A transaction id (PostgreSQL's xid8), as its decimal text. */
  transactionId: {
    accepts: (value): value is string =>
      typeof value === 'string' && /^(0|[1-9]\d{0,19})$/.test(value) && BigInt(value) <= XID8_MAX,
  } as KeyPart<string>,
};

type KeyOf<Parts extends Record<string, KeyPart<unknown>>> = {
  [Name in keyof Parts]: Parts[Name] extends KeyPart<infer T> ? T : never;
};

/** The cursor of one list: its name, and the parts of its sort key in order. */
export class ListCursor<Parts extends Record<string, KeyPart<unknown>>> {
  private readonly names: (keyof Parts & string)[];

  constructor(
    private readonly list: string,
    private readonly parts: Parts,
  ) {
    this.names = Object.keys(parts);
  }

  encode(key: KeyOf<Parts>): string {
    return Buffer.from(JSON.stringify([VERSION, this.list, ...this.names.map((name) => key[name])])).toString(
      'base64url',
    );
  }

  /** The key a cursor of this list carries; undefined without a cursor; a 400 for anything else. */
  decode(cursor: string | undefined): KeyOf<Parts> | undefined {
    if (cursor === undefined) return undefined;
    const values = /^[A-Za-z0-9_-]+$/.test(cursor)
      ? parseJson(Buffer.from(cursor, 'base64url').toString('utf8'))
      : null;
    if (
      !Array.isArray(values) ||
      values.length !== this.names.length + 2 ||
      values[0] !== VERSION ||
      values[1] !== this.list ||
      !this.names.every((name, i) => this.parts[name].accepts(values[i + 2]))
    ) {
      throw new RequestValidationError([{ path: 'cursor', message: 'is not a cursor this list handed out' }]);
    }
    return Object.fromEntries(this.names.map((name, i) => [name, values[i + 2]])) as KeyOf<Parts>;
  }

  /** The answer of a list: `{items, nextCursor}`, nextCursor null on the last page. */
  page<Item>(page: KeysetPage<Item, KeyOf<Parts>>): Page<Item> {
    return { items: page.items, nextCursor: page.next === null ? null : this.encode(page.next) };
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
