import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';

/**
 * The review items an admin dismissed for good (CandidateDismissed, libs/domain/src/review). A table of its
 * own, apart from the candidates, so that rebuilding the candidates never brings a dismissed one back.
 */
export class DismissedCandidatesProjection implements Projection {
  readonly name = 'dismissed-candidates';
  readonly handles = ['CandidateDismissed'];
  readonly tables = ['read_dismissed_candidates'];
  readonly readsData = false;

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    await tx.query(
      `INSERT INTO read_dismissed_candidates (id, dismissed_at)
       SELECT (e.data->>'candidateId')::uuid, e.recorded_at FROM events e WHERE e.position = ANY($1::bigint[])
       ON CONFLICT DO NOTHING`,
      [events.map((event) => event.position)],
    );
  }
}
