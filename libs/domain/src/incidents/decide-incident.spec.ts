import { parsePartialDate } from '../dates/partial-date';
import { BlankNameError } from '../names/blank-name.error';
import { decideIncident, evolveIncident, initialIncidentState } from './decide-incident';
import type { IncidentCommand, RecordIncident } from './incident.commands';
import {
  IncidentAlreadyRecordedError,
  IncidentAlreadyRetractedError,
  IncidentNotFoundError,
  IncidentRetractedError,
  InvalidIncidentError,
} from './incident.errors';
import type { IncidentEvent } from './incident.events';

const incidentId = '0b4f7a52-7a4e-4a5e-9d6b-1f1d6c2f9a10';
const sharminId = '5d1e8f6e-2b7c-4e3a-8f0a-6c9b1d2e3f40';
const societyId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c60';

const arrest = (changes: Partial<RecordIncident<'arrest'>> = {}): RecordIncident<'arrest'> => ({
  kind: 'RecordIncident',
  type: 'arrest',
  incidentId,
  externalId: 'ihr-2020-06-21-iapsrs-arrests',
  occurredOn: parsePartialDate('2020-06-21'),
  persons: [
    {
      personId: sharminId,
      name: 'Sharmin Maymandinejad',
      isNew: true,
      aliases: ['Sharmin Meymandinejad'],
      memberOf: [{ organizationId: societyId, role: 'founder' }],
    },
  ],
  organizations: [
    {
      organizationId: societyId,
      name: 'Imam Ali Popular Student Relief Society',
      isNew: true,
      aliases: ['IAPSRS'],
    },
  ],
  location: 'Tehran',
  details: { authority: 'security forces' },
  source: { name: 'Iran Human Rights', url: 'https://iranhr.net/', status: 'confirmed' },
  ...changes,
});

const recorded: IncidentEvent = {
  type: 'ArrestRecorded',
  schemaVersion: 2,
  data: {
    incidentId,
    externalId: 'ihr-2020-06-21-iapsrs-arrests',
    occurredOn: { value: '2020-06-21', precision: 'day', from: '2020-06-21', to: '2020-06-21' },
    persons: [{ personId: sharminId, name: 'Sharmin Maymandinejad', key: 'sharminmaymandinejad' }],
    organizations: [
      {
        organizationId: societyId,
        name: 'Imam Ali Popular Student Relief Society',
        key: 'imamalipopularstudentreliefsociety',
      },
    ],
    location: 'Tehran',
    details: { authority: 'security forces' },
    source: { name: 'Iran Human Rights', url: 'https://iranhr.net/', status: 'confirmed' },
  },
};
const confirmed: IncidentEvent = { type: 'IncidentConfirmed', schemaVersion: 1, data: { incidentId } };
const retracted: IncidentEvent = {
  type: 'IncidentRetracted',
  schemaVersion: 1,
  data: { incidentId, reason: 'wrong person' },
};

const confirm: IncidentCommand = { kind: 'ConfirmIncident', incidentId };
const retract: IncidentCommand = { kind: 'RetractIncident', incidentId, reason: 'wrong person' };

function given(...events: IncidentEvent[]) {
  return {
    when: (command: IncidentCommand) => () =>
      decideIncident(command, events.reduce(evolveIncident, initialIncidentState)),
  };
}

describe(decideIncident.name, () => {
  describe('recording', () => {
    it('records an arrest with the names as given and their matching keys', () => {
      expect(given().when(arrest())()).toEqual([recorded]);
    });

    it('records the source that reported it, with its id, name and kind, when a partner reported it', () => {
      const reportedBy = { sourceId: '3c2b1a00-0000-4000-8000-000000000001', name: 'Hengaw', kind: 'hr_ngo' } as const;
      const [event] = given().when(arrest({ reportedBy }))();
      expect(event).toMatchObject({ schemaVersion: 2, data: { sourceId: reportedBy.sourceId, reportedBy } });
    });

    it('keeps the Jalali original of the date', () => {
      const [event] = given().when(arrest({ occurredOn: parsePartialDate('1399-04', 'jalali') }))();
      expect(event.type === 'ArrestRecorded' && event.data.occurredOn).toEqual({
        value: '2020-06-21/2020-07-21',
        precision: 'month',
        from: '2020-06-21',
        to: '2020-07-21',
        original: { calendar: 'jalali', value: '1399-04' },
      });
    });

    it.each([
      ['release', 'ReleaseRecorded', { conditions: 'bail' }],
      ['ruling', 'RulingRecorded', { court: 'Revolutionary Court', outcome: 'sentence', sentence: '5 years' }],
      ['execution', 'ExecutionRecorded', { facility: 'Ghezel Hesar', charges: ['moharebeh'] }],
      ['harassment', 'HarassmentRecorded', { kind: 'raid' }],
    ] as const)('records a report of type %s as %s with its details', (type, eventType, details) => {
      const command = { ...arrest(), type, details } as IncidentCommand;
      expect(given().when(command)()).toEqual([{ ...recorded, type: eventType, data: { ...recorded.data, details } }]);
    });

    it('refuses to record an incident that is already recorded', () => {
      expect(given(recorded).when(arrest())).toThrow(IncidentAlreadyRecordedError);
    });

    it('refuses to record over a retracted incident', () => {
      expect(given(recorded, retracted).when(arrest())).toThrow(IncidentAlreadyRecordedError);
    });

    it('refuses a report that names no one', () => {
      expect(given().when(arrest({ persons: [], organizations: [] }))).toThrow(InvalidIncidentError);
    });

    it('records a report that names only an organisation', () => {
      const [event] = given().when(arrest({ persons: [] }))();
      expect(event.type === 'ArrestRecorded' && event.data.persons).toEqual([]);
    });

    it('refuses a report that names the same person twice', () => {
      const [person] = arrest().persons;
      expect(given().when(arrest({ persons: [person, { ...person, name: 'Sharmin' }] }))).toThrow(
        `incident ${incidentId}: ${sharminId} is named more than once`,
      );
    });

    it('refuses a name with nothing to match on', () => {
      const [person] = arrest().persons;
      expect(given().when(arrest({ persons: [{ ...person, name: ' \u200C- ' }] }))).toThrow(BlankNameError);
    });

    it('refuses a blank alias', () => {
      const [organization] = arrest().organizations;
      expect(given().when(arrest({ organizations: [{ ...organization, aliases: ['IAPSRS', '  '] }] }))).toThrow(
        BlankNameError,
      );
    });

    it('refuses a dissolution ruling that names no organisation', () => {
      const command: IncidentCommand = {
        ...arrest({ organizations: [] }),
        type: 'ruling',
        details: { court: 'Revolutionary Court', outcome: 'dissolution' },
      };
      expect(given().when(command)).toThrow('a dissolution ruling must name the organisation it dissolves');
    });
  });

  describe('confirming', () => {
    it('confirms a recorded incident with the source that vouches for it', () => {
      const command: IncidentCommand = { ...confirm, source: { name: 'HRANA', url: 'https://hra-news.org/' } };
      expect(given(recorded).when(command)()).toEqual([
        {
          type: 'IncidentConfirmed',
          schemaVersion: 1,
          data: { incidentId, source: { name: 'HRANA', url: 'https://hra-news.org/' } },
        },
      ]);
    });

    it('confirms an incident whose source called its own report confirmed', () => {
      expect(given(recorded).when(confirm)()).toEqual([confirmed]);
    });

    it('appends nothing when the incident is already confirmed', () => {
      expect(given(recorded, confirmed).when(confirm)()).toEqual([]);
    });

    it('refuses to confirm a retracted incident', () => {
      expect(given(recorded, retracted).when(confirm)).toThrow(IncidentRetractedError);
    });

    it('refuses to confirm an incident that does not exist', () => {
      expect(given().when(confirm)).toThrow(IncidentNotFoundError);
    });
  });

  describe('retracting', () => {
    it('retracts a recorded incident with its reason', () => {
      expect(given(recorded).when(retract)()).toEqual([retracted]);
    });

    it('retracts a confirmed incident', () => {
      expect(given(recorded, confirmed).when(retract)()).toEqual([retracted]);
    });

    it('refuses to retract twice', () => {
      expect(given(recorded, retracted).when(retract)).toThrow(IncidentAlreadyRetractedError);
    });

    it('refuses a retraction without a reason', () => {
      expect(given(recorded).when({ ...retract, reason: ' \n' })).toThrow(InvalidIncidentError);
    });

    it('refuses to retract an incident that does not exist', () => {
      expect(given().when(retract)).toThrow(IncidentNotFoundError);
    });
  });

  it('gives each refusal a stable code', () => {
    const codeOf = (attempt: () => unknown) => {
      try {
        attempt();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return undefined;
    };
    expect(codeOf(given(recorded).when(arrest()))).toBe('incident_already_recorded');
    expect(codeOf(given().when(confirm))).toBe('incident_not_found');
    expect(codeOf(given(recorded, retracted).when(confirm))).toBe('incident_retracted');
    expect(codeOf(given(recorded, retracted).when(retract))).toBe('incident_already_retracted');
    expect(codeOf(given(recorded).when({ ...retract, reason: '' }))).toBe('invalid_incident');
  });
});
