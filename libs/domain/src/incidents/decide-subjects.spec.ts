import { parsePartialDate } from '../dates/partial-date';
import {
  decideSubjects,
  evolveOrganization,
  evolvePerson,
  initialOrganizationState,
  initialPersonState,
  type KnownSubjects,
} from './decide-subjects';
import type { OrganizationMention, PersonMention, RecordIncident } from './incident.commands';
import { SubjectAlreadyRegisteredError, UnknownSubjectError } from './incident.errors';
import type { OrganizationEvent, PersonEvent } from './incident.events';

const incidentId = '0b4f7a52-7a4e-4a5e-9d6b-1f1d6c2f9a10';
const sharminId = '5d1e8f6e-2b7c-4e3a-8f0a-6c9b1d2e3f40';
const societyId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c60';
const occurredOn = parsePartialDate('2020-06-21');

const sharmin = (changes: Partial<PersonMention> = {}): PersonMention => ({
  personId: sharminId,
  name: 'Sharmin Maymandinejad',
  isNew: false,
  aliases: [],
  memberOf: [],
  ...changes,
});

const society = (changes: Partial<OrganizationMention> = {}): OrganizationMention => ({
  organizationId: societyId,
  name: 'Imam Ali Popular Student Relief Society',
  isNew: false,
  aliases: [],
  ...changes,
});

const report = (persons: PersonMention[], organizations: OrganizationMention[] = []): RecordIncident => ({
  kind: 'RecordIncident',
  type: 'arrest',
  incidentId,
  occurredOn,
  persons,
  organizations,
  details: {},
  source: { name: 'Iran Human Rights', status: 'confirmed' },
});

const dissolution = (organizations: OrganizationMention[], persons: PersonMention[] = []): RecordIncident => ({
  ...report(persons, organizations),
  type: 'ruling',
  details: { court: 'Revolutionary Court, Branch 15', outcome: 'dissolution' },
});

const sharminRegistered: PersonEvent = {
  type: 'PersonRegistered',
  schemaVersion: 1,
  data: { personId: sharminId, name: 'Sharmin Maymandinejad', key: 'sharminmaymandinejad', incidentId: 'earlier' },
};
const societyRegistered: OrganizationEvent = {
  type: 'OrganizationRegistered',
  schemaVersion: 1,
  data: {
    organizationId: societyId,
    name: 'Imam Ali Popular Student Relief Society',
    key: 'imamalipopularstudentreliefsociety',
    incidentId: 'earlier',
  },
};

function given(persons: Record<string, PersonEvent[]>, organizations: Record<string, OrganizationEvent[]> = {}) {
  const known: KnownSubjects = {
    persons: Object.fromEntries(
      Object.entries(persons).map(([id, events]) => [id, events.reduce(evolvePerson, initialPersonState)]),
    ),
    organizations: Object.fromEntries(
      Object.entries(organizations).map(([id, events]) => [
        id,
        events.reduce(evolveOrganization, initialOrganizationState),
      ]),
    ),
  };
  return { when: (command: RecordIncident) => () => decideSubjects(command, known) };
}

const eventsOf = (decided: ReturnType<typeof decideSubjects>) => decided.map(({ event }) => event);

describe(decideSubjects.name, () => {
  it('registers a new person with the aliases that differ from the name', () => {
    const command = report([
      sharmin({ isNew: true, aliases: ['Sharmin Meymandinejad', 'SHARMIN  MAYMANDINEJAD', 'sharmin meymandinejad'] }),
    ]);
    expect(given({}).when(command)()).toEqual([
      {
        streamId: `person-${sharminId}`,
        event: { ...sharminRegistered, data: { ...sharminRegistered.data, incidentId } },
      },
      {
        streamId: `person-${sharminId}`,
        event: {
          type: 'AliasAdded',
          schemaVersion: 1,
          data: {
            subject: 'person',
            id: sharminId,
            alias: 'Sharmin Meymandinejad',
            key: 'sharminmeymandinejad',
            incidentId,
          },
        },
      },
    ]);
  });

  it('adds only the aliases a known person is not yet known by', () => {
    const meymandinejad: PersonEvent = {
      type: 'AliasAdded',
      schemaVersion: 1,
      data: {
        subject: 'person',
        id: sharminId,
        alias: 'شرمین میمندی‌نژاد',
        key: 'شرمینمیمندینژاد',
        incidentId: 'earlier',
      },
    };
    const command = report([sharmin({ aliases: ['شرمين ميمندی نژاد', 'Sharmin Meymandi-Nejad'] })]);
    expect(eventsOf(given({ [sharminId]: [sharminRegistered, meymandinejad] }).when(command)())).toEqual([
      {
        type: 'AliasAdded',
        schemaVersion: 1,
        data: {
          subject: 'person',
          id: sharminId,
          alias: 'Sharmin Meymandi-Nejad',
          key: 'sharminmeymandinejad',
          incidentId,
        },
      },
    ]);
  });

  it('adds the name a report gives a known person when it is a new spelling', () => {
    const command = report([sharmin({ name: 'Sharmin Meymandinejad' })]);
    expect(eventsOf(given({ [sharminId]: [sharminRegistered] }).when(command)())).toEqual([
      {
        type: 'AliasAdded',
        schemaVersion: 1,
        data: {
          subject: 'person',
          id: sharminId,
          alias: 'Sharmin Meymandinejad',
          key: 'sharminmeymandinejad',
          incidentId,
        },
      },
    ]);
  });

  it('appends nothing for a known person named as before', () => {
    expect(
      given({ [sharminId]: [sharminRegistered] }).when(report([sharmin({ name: 'sharmin maymandinejad' })]))(),
    ).toEqual([]);
  });

  it('registers a new organisation with its aliases on its own stream', () => {
    const command = report([], [society({ isNew: true, aliases: ['IAPSRS', 'Imam Ali Society'] })]);
    expect(given({}).when(command)()).toEqual(
      [
        { ...societyRegistered, data: { ...societyRegistered.data, incidentId } },
        {
          type: 'AliasAdded',
          schemaVersion: 1,
          data: { subject: 'organization', id: societyId, alias: 'IAPSRS', key: 'iapsrs', incidentId },
        },
        {
          type: 'AliasAdded',
          schemaVersion: 1,
          data: {
            subject: 'organization',
            id: societyId,
            alias: 'Imam Ali Society',
            key: 'imamalisociety',
            incidentId,
          },
        },
      ].map((event) => ({ streamId: `organization-${societyId}`, event })),
    );
  });

  it('adds an alias repeated in one report once', () => {
    const command = report([sharmin({ aliases: ['Sharmin M.', 'sharmin m'] })]);
    expect(eventsOf(given({ [sharminId]: [sharminRegistered] }).when(command)()).map((event) => event.data)).toEqual([
      { subject: 'person', id: sharminId, alias: 'Sharmin M.', key: 'sharminm', incidentId },
    ]);
  });

  it('records the membership of a new person in a new organisation, organisation streams first', () => {
    const command = report(
      [sharmin({ isNew: true, memberOf: [{ organizationId: societyId, role: 'founder' }] })],
      [society({ isNew: true })],
    );
    expect(
      given({})
        .when(command)()
        .map(({ streamId, event }) => [streamId, event.type]),
    ).toEqual([
      [`organization-${societyId}`, 'OrganizationRegistered'],
      [`person-${sharminId}`, 'PersonRegistered'],
      [`person-${sharminId}`, 'MembershipRecorded'],
    ]);
    expect(eventsOf(given({}).when(command)())[2].data).toEqual({
      personId: sharminId,
      organizationId: societyId,
      role: 'founder',
      incidentId,
    });
  });

  describe('with a known membership', () => {
    const founder: PersonEvent = {
      type: 'MembershipRecorded',
      schemaVersion: 1,
      data: { personId: sharminId, organizationId: societyId, role: 'founder', incidentId: 'earlier' },
    };
    const known = given({ [sharminId]: [sharminRegistered, founder] }, { [societyId]: [societyRegistered] });

    it('appends nothing when the same role is reported in another spelling', () => {
      expect(known.when(report([sharmin({ memberOf: [{ organizationId: societyId, role: 'Founder ' }] })]))()).toEqual(
        [],
      );
    });

    it('appends nothing when the membership is reported without a role', () => {
      expect(known.when(report([sharmin({ memberOf: [{ organizationId: societyId }] })]))()).toEqual([]);
    });

    it('records a role not known yet', () => {
      const command = report([sharmin({ memberOf: [{ organizationId: societyId, role: 'compliance officer' }] })]);
      expect(eventsOf(known.when(command)())).toEqual([
        {
          type: 'MembershipRecorded',
          schemaVersion: 1,
          data: { personId: sharminId, organizationId: societyId, role: 'compliance officer', incidentId },
        },
      ]);
    });
  });

  it('refuses a membership of an organisation that is neither known nor reported', () => {
    const command = report([sharmin({ isNew: true, memberOf: [{ organizationId: societyId }] })]);
    expect(given({}).when(command)).toThrow(new UnknownSubjectError('organization', societyId));
  });

  it('refuses a person referred to by an id that was never registered', () => {
    expect(given({}).when(report([sharmin()]))).toThrow(new UnknownSubjectError('person', sharminId));
  });

  it('refuses to register a person under an id already taken', () => {
    expect(given({ [sharminId]: [sharminRegistered] }).when(report([sharmin({ isNew: true })]))).toThrow(
      SubjectAlreadyRegisteredError,
    );
  });

  it('dissolves each organisation a dissolution ruling names, on its own stream', () => {
    const otherId = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e50';
    const other = society({ organizationId: otherId, name: 'Society for Protecting the Rights of the Child' });
    const command = dissolution([society(), other], [sharmin()]);
    const otherRegistered: OrganizationEvent = {
      type: 'OrganizationRegistered',
      schemaVersion: 1,
      data: {
        organizationId: otherId,
        name: other.name,
        key: 'societyforprotectingtherightsofthechild',
        incidentId: 'earlier',
      },
    };
    const decided = given(
      { [sharminId]: [sharminRegistered] },
      { [societyId]: [societyRegistered], [otherId]: [otherRegistered] },
    ).when(command)();
    expect(decided).toEqual(
      [societyId, otherId].map((organizationId) => ({
        streamId: `organization-${organizationId}`,
        event: { type: 'OrganizationDissolved', schemaVersion: 1, data: { organizationId, incidentId, occurredOn } },
      })),
    );
  });

  it('dissolves nothing for a ruling with another outcome', () => {
    const command: RecordIncident = {
      ...dissolution([society()]),
      type: 'ruling',
      details: { court: 'Revolutionary Court', outcome: 'sentence' },
    };
    expect(given({}, { [societyId]: [societyRegistered] }).when(command)()).toEqual([]);
  });
});
