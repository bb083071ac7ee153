import type { Pool } from 'pg';
import { Counter, type Registry } from 'prom-client';
import { readModelsStamp } from '@vigil/consumers';
import { JsonBytes, jsonBytes } from '../http/json-text';
import { KeptAnswers, type KeptAnswersLimits } from './kept-answers';
import { findSubject, type SubjectKind } from './subject-read-model';

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
      help: 'Admin views of one person or organisation: "kept" answered from memory, "read" from the read models',
      labelNames: ['answer'] as const,
      registers: [registry],
    });
  }

  /** The view's JSON bytes, or undefined if no such subject is. */
  async find(kind: SubjectKind, id: string): Promise<JsonBytes | undefined> {
    const key = `${kind}/${id}`;
    if (this.kept.stampOf(key) !== undefined) {
      const stamp = await readModelsStamp(this.pool, this.projections);
      const bytes = stamp === null ? undefined : this.kept.take(key, stamp);
      if (bytes) {
        this.reads.inc({ answer: 'kept' });
        return new JsonBytes(bytes);
      }
    }
    const found = await findSubject(this.pool, kind, id, this.projections);
    this.reads.inc({ answer: 'read' });
    if (!found) return undefined;
    const bytes = jsonBytes(found.answer);
    if (found.stamp !== null) this.kept.keep(key, found.stamp, bytes);
    return new JsonBytes(bytes);
  }

  /** The bytes of the answers this process holds. */
  get keptBytes(): number {
    return this.kept.size;
  }
}
