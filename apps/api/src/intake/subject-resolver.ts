import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import {
  evolveOrganization,
  evolvePerson,
  initialOrganizationState,
  initialPersonState,
  type KnownSubjects,
  type OrganizationEvent,
  type OrganizationMention,
  type OrganizationState,
  type PersonEvent,
  type PersonMention,
  type PersonState,
  type Subject,
  subjectStreamId,
} from '@vigil/domain';
import { EventStore, type AppendResult, type IdempotencyKey } from '@vigil/event-store';
import { RequestValidationError } from '../http/request-validation.error';
import type { FieldError } from '../http/validation-errors';
import type { IncidentReportDto } from './incident-report.dto';
import { ReportLookups, type StoredEvent } from './report-lookup';
import { SubjectNameKeys, type NameToResolve } from './subject-name-keys';

export interface ResolvedSubjects {
  persons: PersonMention[];
  organizations: OrganizationMention[];
  known: KnownSubjects;
  /** Each subject stream's version as read, for the append's expected versions (0: not registered yet). */
  versions: Map<string, number>;
}

interface Reference {
  subject: Subject;
  /** Set when the report names the subject by id. */
  id?: string;
  name?: string;
  aliases: string[];
  path: string;
}

interface Loaded<State> {
  state: State;
  name?: string;
  streamVersion: number;
}

function load<State, E>(events: StoredEvent[], initial: State, evolve: (s: State, e: E) => State): Loaded<State> {
  const state = events.reduce(
    (s, e) => evolve(s, { type: e.type, schemaVersion: e.schemaVersion, data: e.data } as E),
    initial,
  );
  const registered = events.find((e) => e.type === 'PersonRegistered' || e.type === 'OrganizationRegistered');
  return { state, name: (registered?.data as { name?: string } | undefined)?.name, streamVersion: events.length };
}

/**
 * Turns the persons and organisations of a report (by id, by name, or through memberOf) into the ids,
 * states and stream versions the deciders need. Mentions of one subject are merged, so a report that
 * names "IAPSRS" and "Imam Ali Society" speaks of one organisation once.
 */
@Injectable()
export class SubjectResolver {
  constructor(
    private readonly lookups: ReportLookups,
    private readonly nameKeys: SubjectNameKeys,
    private readonly store: EventStore,
  ) {}

  /**
   * Resolves the report's subjects, unless a key of the report was used before: then the stored answer
   * comes back instead and nothing is claimed. Usually two round trips (the lookup, then the claim of
   * names not known yet), one when every name is known.
   */
  async resolve<Answer>(
    report: IncidentReportDto,
    idempotency: IdempotencyKey[],
  ): Promise<ResolvedSubjects | { replayed: AppendResult<Answer> }> {
    const references = this.references(report);
    const streamOf = (ref: Reference) => subjectStreamId(ref.subject, ref.id!);
    const byId = references.filter((ref) => ref.id !== undefined);
    const byName = references.filter((ref) => ref.id === undefined);
    const names = byName.map((ref): NameToResolve => ({
      subject: ref.subject,
      keys: SubjectNameKeys.keysOf(ref.name!, ref.aliases),
    }));
    const lookup = await this.lookups.read<Answer>(
      idempotency,
      names.flatMap(({ subject, keys }) => keys.map((key) => ({ subject, key }))),
      [...new Set(byId.map(streamOf))],
    );
    if (lookup.replayed) return { replayed: lookup.replayed };
    const streams = lookup.streams;

    // Subjects named by id are checked before any name is claimed: a bad id must change nothing.
    const missing: FieldError[] = byId
      .filter(
        (ref) =>
          !streams
            .get(streamOf(ref))!
            .some((e) => e.type === 'PersonRegistered' || e.type === 'OrganizationRegistered'),
      )
      .map((ref) => ({ path: ref.path, message: `no ${ref.subject} has this id` }));
    if (missing.length) throw new RequestValidationError(missing);

    const { ids, minted } = await this.nameKeys.resolveAll(names, lookup.owners);
    byName.forEach((ref, i) => (ref.id = ids[i]));
    // New subjects have no events; only the owner of a name claimed by a concurrent report is unread.
    for (const ref of byName) if (minted.has(ref.id!)) streams.set(streamOf(ref), []);
    const unread = [...new Set(byName.map(streamOf))].filter((id) => !streams.has(id));
    for (const [streamId, events] of await this.store.readStreams(unread)) streams.set(streamId, events);

    const loaded = new Map<string, Loaded<PersonState | OrganizationState>>();
    for (const ref of references) {
      const events = streams.get(streamOf(ref))!;
      loaded.set(
        streamOf(ref),
        ref.subject === 'person'
          ? load<PersonState, PersonEvent>(events, initialPersonState, evolvePerson)
          : load<OrganizationState, OrganizationEvent>(events, initialOrganizationState, evolveOrganization),
      );
    }
    return this.mentions(report, references, loaded, streamOf);
  }

  /** Every subject the report refers to, in the report's order; memberOf organisations after the rest. */
  private references(report: IncidentReportDto): Reference[] {
    const organizations = report.organizations.map((org, i): Reference => ({
      subject: 'organization',
      id: org.id,
      name: org.name,
      aliases: org.aliases ?? [],
      path: `organizations[${i}].id`,
    }));
    const persons = report.persons.map((person, i): Reference => ({
      subject: 'person',
      id: person.id,
      name: person.name,
      aliases: person.aliases ?? [],
      path: `persons[${i}].id`,
    }));
    const memberships = report.persons.flatMap((person, i) =>
      (person.memberOf ?? []).map(({ organization }, j): Reference =>
        isUUID(organization)
          ? {
              subject: 'organization',
              id: organization,
              aliases: [],
              path: `persons[${i}].memberOf[${j}].organization`,
            }
          : {
              subject: 'organization',
              name: organization,
              aliases: [],
              path: `persons[${i}].memberOf[${j}].organization`,
            },
      ),
    );
    return [...organizations, ...persons, ...memberships];
  }

  private mentions(
    report: IncidentReportDto,
    references: Reference[],
    loaded: Map<string, Loaded<PersonState | OrganizationState>>,
    streamOf: (ref: Reference) => string,
  ): ResolvedSubjects {
    const organizations = new Map<string, OrganizationMention>();
    const persons = new Map<string, PersonMention>();
    const known: { persons: Record<string, PersonState>; organizations: Record<string, OrganizationState> } = {
      persons: {},
      organizations: {},
    };
    const versions = new Map<string, number>();
    const memberships = references.filter((ref) => ref.path.includes('memberOf'));

    for (const ref of references) {
      const { state, name, streamVersion } = loaded.get(streamOf(ref))!;
      versions.set(streamOf(ref), streamVersion);
      const id = ref.id!;
      const shownName = ref.name ?? name!;
      if (ref.subject === 'organization') {
        known.organizations[id] = state as OrganizationState;
        const mention = organizations.get(id);
        if (mention) mention.aliases.push(...(ref.name && ref.name !== mention.name ? [ref.name] : []), ...ref.aliases);
        else
          organizations.set(id, {
            organizationId: id,
            name: shownName,
            isNew: !state.registered,
            aliases: [...ref.aliases],
          });
        continue;
      }
      known.persons[id] = state as PersonState;
      const index = Number(/^persons\[(\d+)\]/.exec(ref.path)![1]);
      const memberOf = (report.persons[index].memberOf ?? []).map((membership, j) => ({
        organizationId: memberships.find((m) => m.path === `persons[${index}].memberOf[${j}].organization`)!.id!,
        role: membership.role,
      }));
      const mention = persons.get(id);
      if (mention) {
        mention.aliases.push(...(ref.name && ref.name !== mention.name ? [ref.name] : []), ...ref.aliases);
        mention.memberOf.push(...memberOf);
      } else {
        persons.set(id, {
          personId: id,
          name: shownName,
          isNew: !state.registered,
          aliases: [...ref.aliases],
          memberOf,
        });
      }
    }
    return { persons: [...persons.values()], organizations: [...organizations.values()], known, versions };
  }
}
