import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';

/**
 * JSON already written, by PostgreSQL (the incident view: read-models/incident-view.ts), that an answer carries
 * as it is: parsing it only to write it again was most of Node's time on a large view
 * (docs/decisions/0031-the-incident-view-is-rendered-by-postgresql.md). It is kept in its pieces (a view per
 * row) and written into the answer's bytes one by one: joined first, a megabyte of text was copied twice more.
 */
export class JsonText {
  private constructor(readonly parts: readonly string[]) {}

  /** One JSON value. */
  static of(json: string): JsonText {
    return new JsonText([json]);
  }

  /** The JSON array of these JSON values. */
  static array(values: readonly string[]): JsonText {
    const parts = ['['];
    values.forEach((value, i) => parts.push(i ? ',' : '', value));
    parts.push(']');
    return new JsonText(parts);
  }

  /** The JSON object `object` (text) with one more field, `name`, whose value is the JSON text `value`, last. */
  static withLastField(object: string, name: string, value: string): JsonText {
    const body = object.slice(0, object.lastIndexOf('}'));
    const separator = /^\{\s*$/.test(body) ? '' : ',';
    return new JsonText([body, `${separator}${JSON.stringify(name)}:`, value, '}']);
  }

  toString(): string {
    return this.parts.join('');
  }

  /** Only jsonBytes writes it: anything else (JSON.stringify, Fastify's own serializer) would write `parts`. */
  toJSON(): never {
    throw new Error('a JsonText is written by jsonBytes: its route needs SendsJsonText');
  }
}

/** A whole answer already written as JSON bytes (a subject's view: read-models/subject-views.ts), sent as it is. */
export class JsonBytes {
  constructor(readonly bytes: Buffer) {}

  /** Only SendsJsonText sends it: anything else would write the Buffer's fields. */
  toJSON(): never {
    throw new Error('a JsonBytes is sent by SendsJsonText');
  }
}

/**
 * The UTF-8 bytes of `value` as JSON.stringify writes it, each JsonText in it written as its text. Only arrays
 * and plain objects are walked (the envelope: a page, a subject's view); anything else is JSON.stringify's.
 */
export function jsonBytes(value: unknown): Buffer {
  if (value instanceof JsonBytes) return value.bytes;
  const parts: string[] = [];
  if (!write(value, parts)) parts.push('null');
  let length = 0;
  for (const part of parts) length += Buffer.byteLength(part);
  const bytes = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) offset += bytes.write(part, offset);
  return bytes;
}

/** Appends the JSON of `value` to `parts`; false, appending nothing, where JSON.stringify writes no value. */
function write(value: unknown, parts: string[]): boolean {
  if (value instanceof JsonText) {
    for (const part of value.parts) parts.push(part);
    return true;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    value.forEach((item, i) => {
      if (i) parts.push(',');
      if (!write(item, parts)) parts.push('null');
    });
    parts.push(']');
    return true;
  }
  if (isPlainObject(value) && typeof value.toJSON !== 'function') {
    parts.push('{');
    let first = true;
    for (const [name, field] of Object.entries(value)) {
      const at = parts.length;
      parts.push(first ? '' : ',', `${JSON.stringify(name)}:`);
      if (write(field, parts)) first = false;
      else parts.length = at;
    }
    parts.push('}');
    return true;
  }
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) return false;
  parts.push(json);
  return true;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * For the routes whose answers hold JsonText: writes the handler's value with jsonBytes and sends those bytes
 * as JSON. A handler that answered 304 (its client holds the answer) returns nothing and sends no body. Errors do
 * not pass here (the problem filter answers them).
 */
@Injectable()
export class SendsJsonText implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<Buffer | undefined> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((value: unknown) => {
        if (reply.statusCode === 304) return undefined;
        void reply.type('application/json; charset=utf-8');
        return jsonBytes(value);
      }),
    );
  }
}
