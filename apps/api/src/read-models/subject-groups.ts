import { rootOfSql } from '@vigil/consumers';
import type { Subject as SubjectKind } from '@vigil/domain';

/**
 * A merge group as the admin views show it: the survivor with everything of everyone merged into it
 * (read_subject_merges, the subject-merges projection). The other read models keep each subject's own
 * facts; the group is put together when read, so an unmerge has nothing to take apart and a rebuild
 * gives the same views (docs/architecture.md, "Merges").
 */

/** The survivor `id` (an SQL expression) answers to: itself unless it is merged. */
export const survivorOf = (kind: SubjectKind, id: string): string => rootOfSql('read_subject_merges', `'${kind}'`, id);

/** Whether the subject row `s` is merged into another (lists show only survivors). */
export const isMergedAway = (kind: SubjectKind, alias: string): string =>
  `EXISTS (SELECT 1 FROM read_subject_merges f WHERE f.subject = '${kind}' AND f.merged_id = ${alias}.id)`;

/**
 * A LATERAL of the row `s`: `merged`, the ids merged into it (oldest id first, [] when none), and `ids`, the
 * whole group, itself first.
 */
export const groupOf = (kind: SubjectKind): string => `
  CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(f.merged_id ORDER BY f.merged_id), '{}') AS merged,
           array[s.id] || coalesce(array_agg(f.merged_id ORDER BY f.merged_id), '{}') AS ids
      FROM read_subject_merges f WHERE f.subject = '${kind}' AND f.root_id = s.id) g`;

/** The ids of the group `id` (an SQL expression) belongs to, as a subquery for `IN`. */
export const groupIdsOf = (kind: SubjectKind, id: string): string =>
  `(SELECT ${survivorOf(kind, id)}
    UNION ALL SELECT f.merged_id FROM read_subject_merges f
               WHERE f.subject = '${kind}' AND f.root_id = ${survivorOf(kind, id)})`;
