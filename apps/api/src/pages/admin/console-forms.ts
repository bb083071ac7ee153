import type { FastifyReply } from 'fastify';

/** A console form or query string as Fastify parses it: a field sent twice is an array. */
export type Form = Record<string, string | string[] | undefined>;
export type Reply = FastifyReply;

/** A field's first value. */
export const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;
/** A field's first value trimmed; an empty one is none. */
export const text = (value: string | string[] | undefined): string | undefined => one(value)?.trim() || undefined;
/** Names typed one per line (or comma-separated), as the API's watch lists take them. */
export const lines = (value: string | string[] | undefined): string[] =>
  [value ?? []]
    .flat()
    .flatMap((v) => v.split(/[\n,،]/))
    .map((v) => v.trim())
    .filter(Boolean);
/** An id from the address or a form, as one segment of an admin API path. */
export const segment = (id: string): string => encodeURIComponent(id);

/** The route config of a console page (a GET). */
export const PAGE = { page: true } as const;
/** The route config of a console form's POST. */
export const FORM = { page: true, acceptsForms: true } as const;
