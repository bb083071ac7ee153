import {
  INCIDENT_TYPE_NAMES,
  REVIEW_KINDS,
  SIMILAR_NAME_REASONS,
  SOURCE_KIND_NAMES,
  VERIFICATIONS,
} from '@vigil/domain';
import { CATALOGUES, LANGUAGES } from '@vigil/i18n';

/**
 * The console builds some keys from values (`admin.type.${type}` …), which the compiler cannot check: every value
 * the API can give must have its words in every language, or a page would show a bare key.
 */
describe('the console’s words for values from the API', () => {
  const keys = [
    ...INCIDENT_TYPE_NAMES.map((type) => `admin.type.${type}`),
    ...['recorded', 'confirmed', 'retracted'].map((status) => `admin.status.${status}`),
    ...VERIFICATIONS.map((verification) => `admin.verification.${verification}`),
    ...SOURCE_KIND_NAMES.map((kind) => `admin.sourceKind.${kind}`),
    // The fields a conflict can be about (ConflictField in libs/domain).
    'admin.conflicts.field.occurredOn',
    ...['year', 'month', 'day', 'month-day'].map((precision) => `admin.precision.${precision}`),
    ...['unknown', 'detained', 'released', 'sentenced', 'executed', 'active', 'dissolved'].map(
      (status) => `admin.subjectStatus.${status}`,
    ),
    ...['sentence', 'acquittal', 'dissolution', 'other'].map((outcome) => `admin.outcome.${outcome}`),
    ...['digital_attack', 'raid', 'closure', 'summons', 'threat', 'other'].map((kind) => `admin.harassment.${kind}`),
    ...['active', 'disabled'].map((state) => `admin.sourceState.${state}`),
    ...['confirmed', 'unconfirmed'].map((status) => `admin.sourceStatus.${status}`),
    ...['running', 'catching_up', 'stalled', 'failed', 'rebuilding'].map(
      (status) => `admin.projectionStatus.${status}`,
    ),
    ...['pending', 'delivered', 'failed', 'dead'].map((status) => `admin.deliveryStatus.${status}`),
    ...SIMILAR_NAME_REASONS.map((reason) => `admin.reason.${reason}`),
    ...REVIEW_KINDS.map((kind) => `admin.reviewKind.${kind}`),
    'admin.persons.title',
    'admin.organizations.title',
  ];

  it.each(LANGUAGES)('%s has them all', (language) => {
    const catalogue = CATALOGUES[language] as Record<string, string>;
    expect(keys.filter((key) => !catalogue[key])).toEqual([]);
  });
});
