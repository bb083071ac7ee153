import type { Pool } from 'pg';
import { Counter, type Registry } from 'prom-client';
import { readModelsStamp } from '@vigil/consumers';
import { ifNoneMatchNames, weakEntityTag } from '../http/entity-tag';
import { JsonBytes, jsonBytes } from '../http/json-text';
import { KeptAnswers, type KeptAnswersLimits } from './kept-answers';
import { findSubject, SUBJECT_STATEMENTS, type SubjectKind } from './subject-read-model';

/**
 * What an API process holds of large views: at most `mebibytes` (ADMIN_VIEW_CACHE_MIB, 64 by default), of answers
 * of 128 KiB and more (a person in about a hundred incidents), each let go after ten minutes unasked. A famous
 * prisoner's view is 1.5 MB and costs 65–80 ms of CPU (PostgreSQL's and the API's) to read; one of a few incidents
 * costs about a millisecond and is not worth the memory.
 */
export const keptViewLimits = (mebibytes: number): KeptAnswersLimits => ({
  maxBytes: mebibytes * 1024 * 1024,
  minBytes: 128 * 1024,
  maxIdleMs: 10 * 60_000,
});

/** A view (or `unchanged`, for a client that holds it already) and its entity tag, if the projections have any. */
export interface SubjectAnswer {
  entityTag?: string;
  view: JsonBytes | 'unchanged';
}

/**
 * The entity tag of the view of `kind` and `key` as read at `stamp`. The statement that renders the view is part of
 * it, so that a release that writes the view otherwise (the same stamp, other fields) does not answer 304 to a client
 * holding the old one.
 */
const tagOf = (kind: SubjectKind, key: string, stamp: string): string =>
  weakEntityTag(stamp, key, SUBJECT_STATEMENTS[kind].one);

/** The view found, or `unchanged` if the client's `If-None-Match` names it (`*` names any view there is). */
const answerOf = (entityTag: string, bytes: Buffer, ifNoneMatch: string | undefined): SubjectAnswer => ({
  entityTag,
  view: ifNoneMatchNames(ifNoneMatch, entityTag) ? 'unchanged' : new JsonBytes(bytes),
});

/**
 * The admin views of one person or organisation (`GET /v1/admin/persons/{id}` and `/organizations/{id}`), the
 * large ones kept until the read models move: a kept answer costs one small statement (the projections' stamp)
 * instead of reading and writing its megabyte again, and is given only while that stamp is the one it was read at,
 * so it is never older than a new read would be. Each API process keeps its own; nothing is shared or written.
 * docs/decisions/0037-large-views-kept-until-the-read-models-move.md.
 */
export class SubjectViews {
  private readonly kept: KeptAnswers;
  private readonly reads: Counter<'answer'>;

  /** `projections`: the names of every projection (the stamp covers all of them, whichever a view reads). */
  constructor(
    private readonly pool: Pool,
    private readonly projections: readonly string[],
    registry: Registry,
    limits: KeptAnswersLimits,
  ) {
    this.kept = new KeptAnswers(limits);
    this.reads = new Counter({
      name: 'vigil_admin_view_reads_total',
      help:
        'Admin views of one person or organisation: "kept" answered from memory, "read" from the read models, ' +
        '"unchanged" answered 304 to a client holding the view',
      labelNames: ['answer'] as const,
      registers: [registry],
    });
  }

  /**
   * The view, with its entity tag (the stamp and the subject: the same while no projection moves), or undefined if
   * no such subject is. With `ifNoneMatch` naming that tag, the answer is `unchanged` and carries no view: a client
   * that holds the view pays one small statement to learn that it still holds.
   */
  async find(kind: SubjectKind, id: string, ifNoneMatch?: string): Promise<SubjectAnswer | undefined> {
    const key = `${kind}/${id}`;
    if (ifNoneMatch !== undefined || this.kept.stampOf(key) !== undefined) {
      const stamp = await readModelsStamp(this.pool, this.projections);
      if (stamp !== null) {
        const entityTag = tagOf(kind, key, stamp);
        // A listed tag names an answer given at this stamp: the subject was there and still is. `*` names whatever
        // view there is, which only a kept answer or a read tells.
        if (ifNoneMatch?.trim() !== '*' && ifNoneMatchNames(ifNoneMatch, entityTag)) {
          this.reads.inc({ answer: 'unchanged' });
          return { entityTag, view: 'unchanged' };
        }
        const bytes = this.kept.take(key, stamp);
        if (bytes) {
          this.reads.inc({ answer: 'kept' });
          return answerOf(entityTag, bytes, ifNoneMatch);
        }
      }
    }
    const found = await findSubject(this.pool, kind, id, this.projections);
    this.reads.inc({ answer: 'read' });
    if (!found) return undefined;
    const bytes = jsonBytes(found.answer);
    if (found.stamp === null) return { view: new JsonBytes(bytes) };
    this.kept.keep(key, found.stamp, bytes);
    return answerOf(tagOf(kind, key, found.stamp), bytes, ifNoneMatch);
  }
}
