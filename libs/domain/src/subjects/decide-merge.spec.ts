import { evolvePerson, initialPersonState, type PersonState } from '../incidents/decide-subjects';
import type { PersonEvent } from '../incidents/incident.events';
import { assertMergeable, assertUnmergeable, decideSubjectMerge, decideSubjectUnmerge } from './decide-merge';
import {
  MergeIntoItselfError,
  SubjectMergedError,
  SubjectNotFoundError,
  SubjectNotMergedError,
} from './identity.errors';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const registered = (keys: string[]): PersonState => ({ ...initialPersonState, registered: true, keys });
const fold = (state: PersonState, events: { event: unknown }[]) =>
  events.reduce((s, { event }) => evolvePerson(s, event as PersonEvent), state);

describe('merge rules', () => {
  const merge = { subject: 'person' as const, id: A, into: B, reason: 'one person' };

  it('writes SubjectMerged on the merged stream and SubjectAbsorbed, with the moved keys, on the survivor', () => {
    expect(decideSubjectMerge(merge, ['keymanesh'])).toEqual([
      {
        streamId: `person-${A}`,
        event: {
          type: 'SubjectMerged',
          schemaVersion: 1,
          data: { subject: 'person', id: A, into: B, reason: 'one person' },
        },
      },
      {
        streamId: `person-${B}`,
        event: {
          type: 'SubjectAbsorbed',
          schemaVersion: 1,
          data: { subject: 'person', id: B, from: A, keys: ['keymanesh'], reason: 'one person' },
        },
      },
    ]);
  });

  it('refuses a merge into itself, of or into someone unknown, and of or into someone merged', () => {
    expect(() => assertMergeable({ ...merge, into: A }, registered([]), registered([]))).toThrow(MergeIntoItselfError);
    expect(() => assertMergeable(merge, initialPersonState, registered([]))).toThrow(SubjectNotFoundError);
    expect(() => assertMergeable(merge, registered([]), initialPersonState)).toThrow(SubjectNotFoundError);
    expect(() => assertMergeable(merge, { ...registered([]), mergedInto: B }, registered([]))).toThrow(
      SubjectMergedError,
    );
    expect(() => assertMergeable(merge, registered([]), { ...registered([]), mergedInto: A })).toThrow(
      SubjectMergedError,
    );
    expect(() => assertMergeable(merge, registered([]), registered([]))).not.toThrow();
  });

  it('gives the survivor the merged keys while the merge stands, and takes exactly them back on unmerge', () => {
    const [onMerged, onSurvivor] = decideSubjectMerge(merge, ['keymanesh']);
    const merged = fold(registered(['keymanesh']), [onMerged]);
    const survivor = fold(registered(['kaymanesh']), [onSurvivor]);
    expect(merged.mergedInto).toBe(B);
    expect(survivor.keys).toEqual(['kaymanesh', 'keymanesh']);

    const from = assertUnmergeable({ subject: 'person', id: A }, merged);
    expect(from).toBe(B);
    const [unmerged, released] = decideSubjectUnmerge({ subject: 'person', id: A }, from, ['keymanesh'], 42);
    expect(unmerged.event.data).toEqual({ subject: 'person', id: A, from: B, keys: ['keymanesh'], mergedAt: 42 });
    expect(fold(merged, [unmerged])).toEqual({ ...registered(['keymanesh']), mergedInto: undefined });
    expect(fold(survivor, [released]).keys).toEqual(['kaymanesh']);
  });

  it('refuses to unmerge someone unknown or not merged', () => {
    expect(() => assertUnmergeable({ subject: 'person', id: A }, initialPersonState)).toThrow(SubjectNotFoundError);
    expect(() => assertUnmergeable({ subject: 'person', id: A }, registered([]))).toThrow(SubjectNotMergedError);
  });
});
