import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import { applyMergeEvents, mergeGroupsSql } from '@vigil/consumers';

/**
 * The alert router's own copy of who is merged into whom (alert_subject_merges; it reads no projection's
 * tables). While a merge stands, a watcher of either subject, by id or by any name key of either, is alerted
 * about an incident naming either; after an unmerge, about its own again. A merge routes nothing by itself:
 * the incidents recorded before it were routed then, so no alert is repeated because of it.
 */
export const MERGE_EVENTS = ['SubjectMerged', 'SubjectUnmerged'] as const;

export const isMergeEvent = (type: string): boolean => (MERGE_EVENTS as readonly string[]).includes(type);

/** Learns a merge or an unmerge: called in log order among the incidents, so each is routed as things stood. */
export function learnMerge(event: RecordedEvent, tx: PoolClient): Promise<void> {
  return applyMergeEvents(tx, 'alert_subject_merges', [event]);
}

/** `(subject, id)` of every member of the merge group of each row of `relation` (see mergeGroupsSql). */
export const inMergeGroups = (relation: string): string => mergeGroupsSql('alert_subject_merges', relation);
