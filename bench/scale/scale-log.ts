import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  EVENT_SCHEMA_VERSIONS,
  INCIDENT_TYPE_NAMES,
  incidentStreamId,
  nameKey,
  organizationStreamId,
  parsePartialDate,
  personStreamId,
  RECORDED_EVENT_TYPES,
} from '@vigil/domain';
import { appendEvents, type StreamAppend } from '@vigil/event-store';
import { NAME_KEY_CLAIM_SQL } from '../../apps/api/src/intake/subject-name-keys';
import { DETAILS } from '../synthetic-reports';
import { organizationName, ORGANIZATION_NAMES, personName, PERSON_NAMES } from './fictional-names';

export interface Subject {
  id: string;
  name: string;
  key: string;
}

const SOURCES = Array.from({ length: 20 }, (_, i) => ({
  sourceId: randomUUID(),
  name: `Fictional Monitor ${i}`,
  kind: 'hr_ngo' as const,
}));
/** About this many events go into one append (one vigil_append call, one transaction). */
const EVENTS_PER_APPEND = 2_000;

const subject = (id: string, name: string): Subject => ({ id, name, key: nameKey(name) });

/**
 * A log shaped as intake writes it, grown through the event store's own append (appendEvents, a few thousand
 * events a call), with the intake's name keys claimed for every subject by the intake's own statement.
 * Each step is one report: an incident naming one or two known persons and an organisation, a new person
 * every second step (registered, aliased in the other script, member of an organisation), a new
 * organisation every fortieth; in the next append each incident gets what later reports add to it (two
 * further sources, and a confirmation every second one). That is five events a step, so a log of E events
 * holds E/5 incidents, E/10 persons and E/200 organisations: a million events, 200,000 incidents over
 * 100,000 persons and 5,000 organisations.
 *
 * Beside them, subjects the measurements need, which no generated incident names (so a routing measure
 * alerts about its own report only): `watchedPerson`, `memberOfWatched` (a member of `watchedOrganization`),
 * and `busyPerson`, named by `busyIncidents` of the first incidents.
 */
export class ScaleLog {
  readonly persons: Subject[] = [];
  readonly organizations: Subject[] = [];
  readonly watchedPerson = subject(randomUUID(), personName(PERSON_NAMES - 1).name);
  readonly memberOfWatched = subject(randomUUID(), personName(PERSON_NAMES - 2).name);
  readonly busyPerson = subject(randomUUID(), personName(PERSON_NAMES - 3).name);
  readonly watchedOrganization = subject(randomUUID(), organizationName(ORGANIZATION_NAMES - 1).name);
  events = 0;
  incidents = 0;
  private busyNamed = 0;
  private followUps: { incidentId: string; step: number }[] = [];

  constructor(private readonly busyIncidents: number) {}

  /** Appends steps until the log holds at least `events` events; returns the seconds it took. */
  async growTo(pool: Pool, events: number): Promise<number> {
    const started = performance.now();
    if (this.events === 0) await this.registerSpecialSubjects(pool);
    while (this.events < events) {
      const appends: StreamAppend[] = this.takeFollowUps();
      const claims: NameClaim[] = [];
      let size = appends.reduce((sum, a) => sum + a.events.length, 0);
      while (size < EVENTS_PER_APPEND && this.events + size < events) {
        const added = this.step(claims);
        appends.push(...added);
        size += added.reduce((sum, a) => sum + a.events.length, 0) + 2.5; // + its follow-ups, next append
      }
      await claimNameKeys(pool, claims);
      await appendEvents(pool, appends);
      this.events += appends.reduce((sum, a) => sum + a.events.length, 0);
    }
    return (performance.now() - started) / 1000;
  }

  private async registerSpecialSubjects(pool: Pool): Promise<void> {
    const organization = this.watchedOrganization;
    const claims: NameClaim[] = [];
    const appends: StreamAppend[] = [
      organizationRegistration(organization, organizationName(ORGANIZATION_NAMES - 1).alias, claims),
      this.newOrganization(0, claims),
      personRegistration(this.watchedPerson, personName(PERSON_NAMES - 1).alias, this.organizations[0], claims),
      personRegistration(this.memberOfWatched, personName(PERSON_NAMES - 2).alias, organization, claims),
      personRegistration(this.busyPerson, personName(PERSON_NAMES - 3).alias, this.organizations[0], claims),
    ];
    await claimNameKeys(pool, claims);
    await appendEvents(pool, appends);
    this.events += appends.reduce((sum, a) => sum + a.events.length, 0);
  }

  private newOrganization(index: number, claims: NameClaim[]): StreamAppend {
    const { name, alias } = organizationName(index);
    const organization = subject(randomUUID(), name);
    this.organizations.push(organization);
    return organizationRegistration(organization, alias, claims);
  }

  /** One report's appends; the name keys it claims go to `claims`. */
  private step(claims: NameClaim[]): StreamAppend[] {
    const n = this.incidents++;
    const appends: StreamAppend[] = [];
    if (n % 40 === 39) appends.push(this.newOrganization(this.organizations.length, claims));
    if (n % 2 === 0) {
      const { name, alias } = personName(this.persons.length);
      const person = subject(randomUUID(), name);
      const organization = this.organizations[this.persons.length % this.organizations.length];
      this.persons.push(person);
      appends.push(personRegistration(person, alias, organization, claims));
    }
    const persons = [this.persons[(n * 7919) % this.persons.length]];
    if (n % 3 === 0) persons.push(this.persons[(n * 104_729 + 1) % this.persons.length]);
    if (n % 20 === 0 && this.busyNamed < this.busyIncidents) {
      persons.push(this.busyPerson);
      this.busyNamed++;
    }
    const organization = this.organizations[(n * 31) % this.organizations.length];
    const incidentId = randomUUID();
    appends.push(recorded(n, incidentId, [...new Set(persons)], organization));
    this.followUps.push({ incidentId, step: n });
    return appends;
  }

  /** What later reports add to the incidents of the previous append: two sources, a confirmation every second. */
  private takeFollowUps(): StreamAppend[] {
    const followUps = this.followUps;
    this.followUps = [];
    return followUps.map(({ incidentId, step }) => ({
      streamId: incidentStreamId(incidentId),
      expected: 'any',
      events: [
        sourceAdded(incidentId, step + 1),
        sourceAdded(incidentId, step + 2),
        ...(step % 2 === 0
          ? [
              {
                type: 'IncidentConfirmed',
                schemaVersion: EVENT_SCHEMA_VERSIONS.IncidentConfirmed,
                data: { incidentId },
              },
            ]
          : []),
      ],
    }));
  }
}

interface NameClaim {
  subject: 'person' | 'organization';
  key: string;
  id: string;
}

/** The intake's claim of each name key for its subject (subject_name_keys), as a report naming it would. */
async function claimNameKeys(pool: Pool, claims: NameClaim[]): Promise<void> {
  if (!claims.length) return;
  await pool.query(NAME_KEY_CLAIM_SQL, [
    claims.map((c) => c.subject),
    claims.map((c) => c.key),
    claims.map((c) => c.id),
  ]);
}

function organizationRegistration(organization: Subject, alias: string, claims: NameClaim[]): StreamAppend {
  claims.push(
    { subject: 'organization', key: organization.key, id: organization.id },
    { subject: 'organization', key: nameKey(alias), id: organization.id },
  );
  const incidentId = randomUUID();
  return {
    streamId: organizationStreamId(organization.id),
    expected: 'no_stream',
    events: [
      {
        type: 'OrganizationRegistered',
        schemaVersion: EVENT_SCHEMA_VERSIONS.OrganizationRegistered,
        data: { organizationId: organization.id, name: organization.name, key: organization.key, incidentId },
      },
      {
        type: 'AliasAdded',
        schemaVersion: EVENT_SCHEMA_VERSIONS.AliasAdded,
        data: { subject: 'organization', id: organization.id, alias, key: nameKey(alias), incidentId },
      },
    ],
  };
}

function personRegistration(person: Subject, alias: string, organization: Subject, claims: NameClaim[]): StreamAppend {
  claims.push(
    { subject: 'person', key: person.key, id: person.id },
    { subject: 'person', key: nameKey(alias), id: person.id },
  );
  const incidentId = randomUUID();
  return {
    streamId: personStreamId(person.id),
    expected: 'no_stream',
    events: [
      {
        type: 'PersonRegistered',
        schemaVersion: EVENT_SCHEMA_VERSIONS.PersonRegistered,
        data: { personId: person.id, name: person.name, key: person.key, incidentId },
      },
      {
        type: 'AliasAdded',
        schemaVersion: EVENT_SCHEMA_VERSIONS.AliasAdded,
        data: { subject: 'person', id: person.id, alias, key: nameKey(alias), incidentId },
      },
      {
        type: 'MembershipRecorded',
        schemaVersion: EVENT_SCHEMA_VERSIONS.MembershipRecorded,
        data: { personId: person.id, organizationId: organization.id, role: 'member', incidentId },
      },
    ],
  };
}

/** An incident of step n: its type, date (over a decade) and source vary with n. */
export function recorded(n: number, incidentId: string, persons: Subject[], organization: Subject): StreamAppend {
  const type = INCIDENT_TYPE_NAMES[n % INCIDENT_TYPE_NAMES.length];
  const eventType = RECORDED_EVENT_TYPES[type];
  const source = SOURCES[n % SOURCES.length];
  return {
    streamId: incidentStreamId(incidentId),
    expected: 'no_stream',
    events: [
      {
        type: eventType,
        schemaVersion: EVENT_SCHEMA_VERSIONS[eventType],
        data: {
          incidentId,
          externalId: `scale-${n}`,
          sourceId: source.sourceId,
          reportedBy: source,
          occurredOn: occurredOn(n),
          persons: persons.map((p) => ({ personId: p.id, name: p.name, key: p.key })),
          organizations: [{ organizationId: organization.id, name: organization.name, key: organization.key }],
          location: 'Tehran',
          details: DETAILS[type],
          summary: 'A synthetic incident about fictional people, for measurements.',
          source: { name: source.name, status: 'confirmed' },
        },
      },
    ],
  };
}

function occurredOn(n: number) {
  const month = String((n % 12) + 1).padStart(2, '0');
  const day = String((n % 28) + 1).padStart(2, '0');
  return parsePartialDate(`${2015 + (n % 11)}-${month}-${day}`);
}

function sourceAdded(incidentId: string, n: number) {
  const source = SOURCES[n % SOURCES.length];
  return {
    type: 'SourceAdded',
    schemaVersion: EVENT_SCHEMA_VERSIONS.SourceAdded,
    data: {
      incidentId,
      reportedBy: source,
      source: { name: source.name, status: 'confirmed' },
      occurredOn: occurredOn(n - 1),
    },
  };
}
