// The public API of @vigil/domain: pure rules over plain data, no I/O and no clock.
export { DomainError } from './domain.error';

export { isBlankName, nameKey, normaliseName, nameWords, type NameWord } from './names/normalise-name';
export { BlankNameError } from './names/blank-name.error';
export {
  deletions,
  looseKey,
  loosePersianKey,
  ONE_LETTER_APART_MIN_LETTERS,
  oneLetterApart,
  SIMILAR_NAME_REASONS,
  similarNameReason,
  transliterationKey,
} from './names/similar-names';
export type { Deletion, LooseKey, NameScript, SimilarNameReason } from './names/similar-names';

export { hasYear, parsePartialDate } from './dates/partial-date';
export { isNewlyDocumented, NEWLY_DOCUMENTED_AFTER_DAYS } from './dates/newly-documented';
export type { Calendar, DatedPartialDate, DatePrecision, MonthDay, PartialDate } from './dates/partial-date';
export { InvalidPartialDateError } from './dates/invalid-partial-date.error';

export { DEFAULT_SOURCE_KIND, SOURCE_KIND_NAMES, SOURCE_KINDS, SOURCE_RELIABILITIES } from './sources/source-kinds';
export type { ReportingSource, SourceKind, SourceReliability } from './sources/source-kinds';

export {
  INCIDENT_TYPE_BY_EVENT,
  INCIDENT_TYPE_NAMES,
  INCIDENT_TYPES,
  isRecordedEventType,
  RECORDED_EVENT_TYPES,
} from './incidents/incident-types';
export type { IncidentTypeName, RecordedEventType } from './incidents/incident-types';
export type { MergeIncident, ResolveConflict } from './incidents/conflict-commands';
export { HARASSMENT_KINDS, RULING_OUTCOMES } from './incidents/incident.commands';
export type {
  ArrestDetails,
  ConfirmIncident,
  ExecutionDetails,
  HarassmentDetails,
  IncidentCommand,
  IncidentDetails,
  IncidentSource,
  Membership,
  OrganizationMention,
  PersonMention,
  RecordIncident,
  ReleaseDetails,
  RetractIncident,
  RulingDetails,
} from './incidents/incident.commands';
export {
  DEFAULT_VERIFICATION_THRESHOLD,
  establishedLevel,
  independentSources,
  meetsThreshold,
  officiallyAcknowledged,
  VERIFICATION_THRESHOLDS,
  VERIFICATIONS,
  verificationOf,
} from './verification/verification';
export type {
  Verification,
  VerificationFacts,
  VerificationThreshold,
  VerifyingSource,
} from './verification/verification';

export {
  ADMIN_SOURCE_ID,
  EVENT_SCHEMA_VERSIONS,
  MERGE_EVENT_TYPES,
  incidentStreamId,
  isIncidentRecorded,
  organizationStreamId,
  personStreamId,
  STREAM_ID_PREFIXES,
  subjectStreamId,
} from './incidents/incident.events';
export type {
  AliasAdded,
  ConflictField,
  ConflictFlagged,
  ConflictResolved,
  DomainEvent,
  Event,
  EventType,
  IncidentAbsorbed,
  IncidentConfirmed,
  IncidentEvent,
  IncidentMerged,
  IncidentRecorded,
  IncidentRecordedData,
  IncidentRetracted,
  MembershipRecorded,
  MergeEvent,
  OrganizationDissolved,
  OrganizationEvent,
  OrganizationRegistered,
  PersonEvent,
  PersonRegistered,
  SourceAdded,
  StreamEvent,
  SubjectsAdded,
  Subject,
  SubjectAbsorbed,
  SubjectMerged,
  SubjectReleased,
  SubjectUnmerged,
} from './incidents/incident.events';
export {
  decideIncident,
  decideMerge,
  decideReport,
  decideResolve,
  matchCandidateOf,
  matchSubjectOfReport,
} from './incidents/decide-incident';
export type { ReportDecision } from './incidents/decide-incident';
export {
  ADMIN_REPORTER,
  evolveIncident,
  evolveIncidentAt,
  incidentVerification,
  initialIncidentState,
  isOpenIncident,
  verificationFactsOf,
} from './incidents/incident-state';
export type {
  IncidentSourceEntry,
  IncidentState,
  OpenConflict,
  OrganizationRef,
  PersonRef,
} from './incidents/incident-state';
export { CONFLICT_WINDOW_DAYS, matchDateWindow, matchIncident, matchReport } from './incidents/match-report';
export type {
  IncidentMatch,
  MatchCandidate,
  MatchDateWindow,
  MatchSubject,
  ReportMatch,
} from './incidents/match-report';
export {
  decideSubjects,
  evolveOrganization,
  evolvePerson,
  initialOrganizationState,
  initialPersonState,
} from './incidents/decide-subjects';
export type { KnownSubjects, OrganizationState, PersonState } from './incidents/decide-subjects';
export {
  IncidentAlreadyRecordedError,
  IncidentAlreadyRetractedError,
  IncidentMergedError,
  IncidentNotFoundError,
  IncidentRetractedError,
  InvalidIncidentError,
  MergeOfDifferentTypesError,
  NoOpenConflictError,
  SubjectAlreadyRegisteredError,
  UnknownMergeTargetError,
  UnknownSubjectError,
} from './incidents/incident.errors';

export { candidateDismissed, DISMISSABLE_REVIEW_KINDS, REVIEW_KINDS, reviewStreamId } from './review/review.events';
export type { CandidateDismissed, DismissableReviewKind, ReviewKind } from './review/review.events';
export {
  assertMergeable,
  assertUnmergeable,
  decideSubjectMerge,
  decideSubjectUnmerge,
  evolveMerges,
  isMergeEvent,
} from './subjects/decide-merge';
export type { MergeableState, MergeSubjects, UnmergeSubject } from './subjects/decide-merge';
export {
  MergeIntoItselfError,
  NameKeyTakenError,
  SubjectMergedError,
  SubjectNotFoundError,
  SubjectNotMergedError,
} from './subjects/identity.errors';
