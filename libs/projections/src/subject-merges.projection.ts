import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import { applyMergeEvents, type Projection } from '@vigil/consumers';

/**
 * Who is merged into whom (read_subject_merges), for the views that show a merge group as one subject
 * (apps/api/src/read-models/subject-groups.ts). The other read models keep each subject's own facts, so an
 * unmerge has nothing to take apart.
 */
export class SubjectMergesProjection implements Projection {
  readonly name = 'subject-merges';
  readonly handles = ['SubjectMerged', 'SubjectUnmerged'];
  readonly tables = ['read_subject_merges'];

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    await applyMergeEvents(tx, 'read_subject_merges', events);
  }
}
