import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  EVENT_SCHEMA_VERSIONS,
  nameKey,
  NameKeyTakenError,
  SubjectMergedError,
  SubjectNotFoundError,
  type Subject,
} from '@vigil/domain';
import type { PoolClient } from 'pg';
import { EventStore, type NewEvent } from '@vigil/event-store';
import { rootOf } from '@vigil/consumers';
import { claimAliasKey, ownerOfKey } from '../intake/subject-name-keys';
import { retryOnStreamConflict } from '../intake/retry-on-stream-conflict';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { AddAlias, type AliasResult } from './subject-identity.commands';
import { adminMetadata } from '../intake/admin-metadata';
import { loadSubject } from './subject-stream';

/**
 * An admin adds a name (another script, a transliteration) to a person or organisation: its key is claimed
 * for the subject in the transaction that appends AliasAdded, so from the commit on every report naming it
 * resolves to the subject (and a report claiming it at the same instant waits, then resolves to it too).
 * A key that resolves to another subject stays theirs: 409 naming them (a merge is the way to join the two).
 */
@CommandHandler(AddAlias)
export class AddAliasHandler implements ICommandHandler<AddAlias, AtLogPosition<AliasResult>> {
  constructor(private readonly store: EventStore) {}

  execute({ subject, id, alias, requestId }: AddAlias): Promise<AtLogPosition<AliasResult>> {
    const key = nameKey(alias); // a name with no letters or digits is refused here (BlankNameError)
    return retryOnStreamConflict(async () => {
      const loaded = await loadSubject(this.store, subject, id);
      if (!loaded.state.registered) throw new SubjectNotFoundError(subject, id);
      if (loaded.state.mergedInto) throw new SubjectMergedError(subject, id, loaded.state.mergedInto);
      const { result, position } = await this.store.appendWith<AliasResult>(async (tx) => {
        const owner = await ownerOfKey(tx, subject, key);
        if (owner !== undefined) await this.assertOwn(tx, subject, alias, id, owner);
        if (loaded.state.keys.includes(key)) return { appends: [], result: { id, alias, added: false } };
        const added: NewEvent = {
          type: 'AliasAdded',
          schemaVersion: EVENT_SCHEMA_VERSIONS.AliasAdded,
          data: { subject, id, alias, key },
          metadata: adminMetadata(requestId),
        };
        return {
          appends: [{ streamId: loaded.streamId, expected: loaded.version, events: [added] }],
          result: { id, alias, added: true },
          // A report may have claimed the key since it was read: then the whole transaction rolls back.
          afterAppend: async () => this.assertOwn(tx, subject, alias, id, await claimAliasKey(tx, subject, key, id)),
        };
      });
      // A name it already had rests on the subject's stream as read.
      return atLogPosition(result, position ?? loaded.events.at(-1)?.position);
    });
  }

  /** A key is the subject's own when it resolves to it, or to one merged into it (a claim that came late). */
  private async assertOwn(tx: PoolClient, subject: Subject, alias: string, id: string, owner: string): Promise<void> {
    if (owner === id) return;
    const root = await rootOf(tx, 'subject_merges', subject, owner);
    if (root !== id) throw new NameKeyTakenError(subject, alias, root);
  }
}
