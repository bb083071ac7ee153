import type { PartialDate } from '../dates/partial-date';
import type { ReportingSource } from '../sources/source-kinds';
import type { IncidentTypeName } from './incident-types';

// Plain data, what the deciders decide on. The Nest command classes of the same names live in apps/api:
// they carry the request, and their handlers build one of these once names are resolved to ids
// (`isNew` says the handler minted the id).

export interface ArrestDetails {
  authority?: string;
  facility?: string;
}

export interface ReleaseDetails {
  conditions?: string;
}

/** A ruling's outcomes: 'dissolution' dissolves the organisations the report names. */
export const RULING_OUTCOMES = ['sentence', 'acquittal', 'dissolution', 'other'] as const;

/** The kinds of harassment a report may name. */
export const HARASSMENT_KINDS = ['digital_attack', 'raid', 'closure', 'summons', 'threat', 'other'] as const;

export interface RulingDetails {
  court: string;
  branch?: string;
  judge?: string;
  /** 'dissolution' dissolves the organisations the report names. */
  outcome: (typeof RULING_OUTCOMES)[number];
  sentence?: string;
}

export interface ExecutionDetails {
  facility: string;
  charges?: string[];
}

export interface HarassmentDetails {
  kind: (typeof HARASSMENT_KINDS)[number];
}

/** The details each incident type carries (a report's `details`, checked at the edge by type). */
export interface IncidentDetails {
  arrest: ArrestDetails;
  release: ReleaseDetails;
  ruling: RulingDetails;
  execution: ExecutionDetails;
  harassment: HarassmentDetails;
}

export interface IncidentSource {
  name: string;
  url?: string;
  /** What the source says of its own report; the incident itself is confirmed only by ConfirmIncident. */
  status: 'confirmed' | 'unconfirmed';
}

export interface Membership {
  organizationId: string;
  role?: string;
}

export interface PersonMention {
  personId: string;
  /** As given in the report. */
  name: string;
  isNew: boolean;
  aliases: string[];
  memberOf: Membership[];
}

export interface OrganizationMention {
  organizationId: string;
  name: string;
  isNew: boolean;
  aliases: string[];
}

interface IncidentReport<Type extends IncidentTypeName> {
  kind: 'RecordIncident';
  type: Type;
  /** A uuid minted by the caller, so a retry of the same report addresses the same stream. */
  incidentId: string;
  externalId?: string;
  /** The reporting partner's id, name and kind, when the report came through the partner webhook. */
  reportedBy?: ReportingSource;
  occurredOn: PartialDate;
  persons: PersonMention[];
  organizations: OrganizationMention[];
  location?: string;
  details: IncidentDetails[Type];
  summary?: string;
  source: IncidentSource;
}

/** One command for every incident type, told apart by `type`: the rules are the same, the details differ. */
export type RecordIncident<Type extends IncidentTypeName = IncidentTypeName> = {
  [T in Type]: IncidentReport<T>;
}[Type];

export interface ConfirmIncident {
  kind: 'ConfirmIncident';
  incidentId: string;
  /** Who vouches for it now, if not the admin alone. */
  source?: { name: string; url?: string };
}

export interface RetractIncident {
  kind: 'RetractIncident';
  incidentId: string;
  reason: string;
}

export type IncidentCommand = RecordIncident | ConfirmIncident | RetractIncident;
