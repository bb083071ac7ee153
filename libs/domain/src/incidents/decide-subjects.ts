import { nameKey, normaliseName } from '../names/normalise-name';
import { assertReportInvariants } from './decide-incident';
import type { Membership, RecordIncident } from './incident.commands';
import { SubjectAlreadyRegisteredError, UnknownSubjectError } from './incident.errors';
import { evolveMerges, isMergeEvent } from '../subjects/decide-merge';
import {
  event,
  organizationStreamId,
  personStreamId,
  type OrganizationEvent,
  type PersonEvent,
  type StreamEvent,
  type Subject,
} from './incident.events';

/** What a report can add to a person: the keys already matched on, and the memberships already known. */
export interface PersonState {
  registered: boolean;
  keys: string[];
  memberships: Membership[];
  /** Set while this person is merged into another (libs/domain/src/subjects/decide-merge.ts). */
  mergedInto?: string;
}

export interface OrganizationState {
  registered: boolean;
  keys: string[];
  mergedInto?: string;
}

export const initialPersonState: PersonState = { registered: false, keys: [], memberships: [] };
export const initialOrganizationState: OrganizationState = { registered: false, keys: [] };

/** The current state of every person and organisation a report names or refers to through memberOf. */
export interface KnownSubjects {
  persons: Readonly<Record<string, PersonState | undefined>>;
  organizations: Readonly<Record<string, OrganizationState | undefined>>;
}

export function evolvePerson(state: PersonState, personEvent: PersonEvent): PersonState {
  if (isMergeEvent(personEvent)) return evolveMerges(state, personEvent);
  switch (personEvent.type) {
    case 'PersonRegistered':
      return { ...state, registered: true, keys: [...state.keys, personEvent.data.key] };
    case 'AliasAdded':
      return { ...state, keys: [...state.keys, personEvent.data.key] };
    case 'MembershipRecorded': {
      const { organizationId, role } = personEvent.data;
      return { ...state, memberships: [...state.memberships, { organizationId, role }] };
    }
    default: {
      const unexpected: never = personEvent;
      throw new Error(`unknown person event ${JSON.stringify(unexpected)}`);
    }
  }
}

export function evolveOrganization(state: OrganizationState, organizationEvent: OrganizationEvent): OrganizationState {
  if (isMergeEvent(organizationEvent)) return evolveMerges(state, organizationEvent);
  switch (organizationEvent.type) {
    case 'OrganizationRegistered':
      return { ...state, registered: true, keys: [...state.keys, organizationEvent.data.key] };
    case 'AliasAdded':
      return { ...state, keys: [...state.keys, organizationEvent.data.key] };
    case 'OrganizationDissolved':
      return state;
    default: {
      const unexpected: never = organizationEvent;
      throw new Error(`unknown organization event ${JSON.stringify(unexpected)}`);
    }
  }
}

interface Mention {
  name: string;
  isNew: boolean;
  aliases: string[];
}

/**
 * The spellings of this report that the subject is not yet known by. For a subject named by id, the
 * name as reported counts as one more spelling: it is how this source writes it.
 */
function newSpellings(subject: Subject, id: string, mention: Mention, state: { registered: boolean; keys: string[] }) {
  if (mention.isNew && state.registered) throw new SubjectAlreadyRegisteredError(subject, id);
  if (!mention.isNew && !state.registered) throw new UnknownSubjectError(subject, id);
  const known = new Set(mention.isNew ? [nameKey(mention.name)] : state.keys);
  const spellings: { alias: string; key: string }[] = [];
  for (const alias of mention.isNew ? mention.aliases : [mention.name, ...mention.aliases]) {
    const key = nameKey(alias);
    if (known.has(key)) continue;
    known.add(key);
    spellings.push({ alias, key });
  }
  return spellings;
}

// A role is free text ("founder", "Founder "): compared by its key. A membership without a role adds
// nothing to one already known; a role not known yet for that organisation is recorded.
function isKnownMembership(memberships: Membership[], candidate: Membership): boolean {
  const role = candidate.role === undefined ? '' : normaliseName(candidate.role);
  return memberships.some(
    (known) =>
      known.organizationId === candidate.organizationId &&
      (role === '' || (known.role !== undefined && normaliseName(known.role) === role)),
  );
}

/**
 * Decides the person and organisation streams of a record command: registrations of new subjects,
 * aliases not known yet (by normalised key), memberships not known yet, and OrganizationDissolved for
 * each organisation a dissolution ruling names. The events of one stream come out next to each other,
 * organisations first (memberships point at them), so the list groups straight into one atomic append.
 */
export function decideSubjects(
  command: RecordIncident,
  known: KnownSubjects,
): StreamEvent<PersonEvent | OrganizationEvent>[] {
  assertReportInvariants(command);
  const { incidentId } = command;
  const dissolves = command.type === 'ruling' && command.details.outcome === 'dissolution';
  const decided: StreamEvent<PersonEvent | OrganizationEvent>[] = [];

  for (const { organizationId, ...mention } of command.organizations) {
    const state = known.organizations[organizationId] ?? initialOrganizationState;
    const events: OrganizationEvent[] = [];
    if (mention.isNew) {
      events.push(
        event('OrganizationRegistered', { organizationId, name: mention.name, key: nameKey(mention.name), incidentId }),
      );
    }
    for (const { alias, key } of newSpellings('organization', organizationId, mention, state)) {
      events.push(
        event('AliasAdded', { subject: 'organization' as const, id: organizationId, alias, key, incidentId }),
      );
    }
    if (dissolves) {
      events.push(event('OrganizationDissolved', { organizationId, incidentId, occurredOn: command.occurredOn }));
    }
    decided.push(...events.map((next) => ({ streamId: organizationStreamId(organizationId), event: next })));
  }

  const reportedOrganizations = new Set(command.organizations.map((org) => org.organizationId));
  for (const { personId, memberOf, ...mention } of command.persons) {
    const state = known.persons[personId] ?? initialPersonState;
    const events: PersonEvent[] = [];
    if (mention.isNew) {
      events.push(event('PersonRegistered', { personId, name: mention.name, key: nameKey(mention.name), incidentId }));
    }
    for (const { alias, key } of newSpellings('person', personId, mention, state)) {
      events.push(event('AliasAdded', { subject: 'person' as const, id: personId, alias, key, incidentId }));
    }
    const memberships = [...state.memberships];
    for (const membership of memberOf) {
      const { organizationId } = membership;
      if (!reportedOrganizations.has(organizationId) && !known.organizations[organizationId]?.registered) {
        throw new UnknownSubjectError('organization', organizationId);
      }
      if (isKnownMembership(memberships, membership)) continue;
      const role = membership.role === undefined || normaliseName(membership.role) === '' ? undefined : membership.role;
      memberships.push({ organizationId, role });
      events.push(event('MembershipRecorded', { personId, organizationId, role, incidentId }));
    }
    decided.push(...events.map((next) => ({ streamId: personStreamId(personId), event: next })));
  }
  return decided;
}
