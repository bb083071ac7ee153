import { CreateEventStore1764384000000 } from './1764384000000-CreateEventStore';
import { CreateSources1764384100000 } from './1764384100000-CreateSources';
import { CreateSubjectNameKeys1764384200000 } from './1764384200000-CreateSubjectNameKeys';
import { CreateConsumerCheckpoints1764384300000 } from './1764384300000-CreateConsumerCheckpoints';
import { CreateReadModels1764384400000 } from './1764384400000-CreateReadModels';
import { CreateAlerts1764384500000 } from './1764384500000-CreateAlerts';
import { CreateWebhookSubscriptions1764384600000 } from './1764384600000-CreateWebhookSubscriptions';
import { IndexSubscriptionSecrets1764384700000 } from './1764384700000-IndexSubscriptionSecrets';
import { PlanAppendGenerically1764384800000 } from './1764384800000-PlanAppendGenerically';
import { CreateIdempotentAnswerFunction1764384900000 } from './1764384900000-CreateIdempotentAnswerFunction';
import { AllowStalledConsumers1764385000000 } from './1764385000000-AllowStalledConsumers';
import { SealSubscriberData1764385100000 } from './1764385100000-SealSubscriberData';
import { CreateConfirmationMails1764385200000 } from './1764385200000-CreateConfirmationMails';
import { AddSourceDisabledAt1764385400000 } from './1764385400000-AddSourceDisabledAt';
import { AddSourceKinds1764385500000 } from './1764385500000-AddSourceKinds';
import { CreateNameWords1764385600000 } from './1764385600000-CreateNameWords';
import { CreateIncidentMatchSubjects1764386000000 } from './1764386000000-CreateIncidentMatchSubjects';
import { AddIncidentVerification1764386010000 } from './1764386010000-AddIncidentVerification';
import { RouteByVerification1764386100000 } from './1764386100000-RouteByVerification';
import { CreateSimilarNames1764386200000 } from './1764386200000-CreateSimilarNames';
import { IndexNameWordsByRank1764386250000 } from './1764386250000-IndexNameWordsByRank';
import { CreateSubjectMerges1764386300000 } from './1764386300000-CreateSubjectMerges';
import { AddSubscriptionLanguageAndContent1764386400000 } from './1764386400000-AddSubscriptionLanguageAndContent';
import { CreateAdminSessions1764386500000 } from './1764386500000-CreateAdminSessions';
import { AddDeliveryJobIds1764387000000 } from './1764387000000-AddDeliveryJobIds';
import { CreateRecordReportFunction1764387100000 } from './1764387100000-CreateRecordReportFunction';
import { AddIncidentReviewItems1764387200000 } from './1764387200000-AddIncidentReviewItems';
import { PlanProbesForFewRows1764387300000 } from './1764387300000-PlanProbesForFewRows';
import { RecordReportsInBatches1764387600000 } from './1764387600000-RecordReportsInBatches';
import { StoreAlertPayloadsOnce1764389700000 } from './1764389700000-StoreAlertPayloadsOnce';
import { IndexUnmergeEvents1764389800000 } from './1764389800000-IndexUnmergeEvents';
import { KeyDeliveriesByIncident1764389900000 } from './1764389900000-KeyDeliveriesByIncident';
import { IndexIncidentMatchDates1764390000000 } from './1764390000000-IndexIncidentMatchDates';
import { IndexIncidentDatesByRow1764390100000 } from './1764390100000-IndexIncidentDatesByRow';

/** Every migration, in order. Listed by hand: globs break under webpack builds (CONTRIBUTING.md). */
export const MIGRATIONS = [
  CreateEventStore1764384000000,
  CreateSources1764384100000,
  CreateSubjectNameKeys1764384200000,
  CreateConsumerCheckpoints1764384300000,
  CreateReadModels1764384400000,
  CreateAlerts1764384500000,
  CreateWebhookSubscriptions1764384600000,
  IndexSubscriptionSecrets1764384700000,
  PlanAppendGenerically1764384800000,
  CreateIdempotentAnswerFunction1764384900000,
  AllowStalledConsumers1764385000000,
  SealSubscriberData1764385100000,
  CreateConfirmationMails1764385200000,
  AddSourceDisabledAt1764385400000,
  AddSourceKinds1764385500000,
  CreateNameWords1764385600000,
  CreateIncidentMatchSubjects1764386000000,
  AddIncidentVerification1764386010000,
  RouteByVerification1764386100000,
  CreateSimilarNames1764386200000,
  IndexNameWordsByRank1764386250000,
  CreateSubjectMerges1764386300000,
  AddSubscriptionLanguageAndContent1764386400000,
  CreateAdminSessions1764386500000,
  AddDeliveryJobIds1764387000000,
  CreateRecordReportFunction1764387100000,
  AddIncidentReviewItems1764387200000,
  PlanProbesForFewRows1764387300000,
  RecordReportsInBatches1764387600000,
  StoreAlertPayloadsOnce1764389700000,
  IndexUnmergeEvents1764389800000,
  KeyDeliveriesByIncident1764389900000,
  IndexIncidentMatchDates1764390000000,
  IndexIncidentDatesByRow1764390100000,
];
