import type { Pool } from 'pg';
import { readEventsAfter, START_OF_LOG } from '@vigil/event-store';
import { learnSubjects, SUBJECT_EVENTS } from '../../libs/alerts/src/alert-router';

/**
 * The alert router's subject keys and memberships for the log up to position `upTo` (all of it without), learnt
 * by the router's own learnSubjects from the log's subject events, read by the event store a page at a time:
 * the router's state for a tool that routes without having caught up.
 */
export async function learnSubjectsFromLog(pool: Pool, upTo = Number.MAX_SAFE_INTEGER): Promise<void> {
  const client = await pool.connect();
  try {
    for (let after = START_OF_LOG; ;) {
      const { events, checkpoint } = await readEventsAfter(client, after, 10_000);
      const subjects = events.filter(({ type, position }) => position <= upTo && SUBJECT_EVENTS.includes(type));
      if (subjects.length) await learnSubjects(subjects, client);
      // The end of the log, or of the part asked for: nothing after it is read.
      if (!events.length || events.at(-1)!.position >= upTo) return;
      after = checkpoint;
    }
  } finally {
    client.release();
  }
}
