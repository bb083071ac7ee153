import { verificationInWords, type AlertType, type VerifiedIncident } from '@vigil/alerts';
import {
  HARASSMENT_KINDS,
  INCIDENT_TYPE_NAMES,
  RULING_OUTCOMES,
  type IncidentTypeName,
  type PartialDate,
} from '@vigil/domain';
import { translate, type Language, type MessageKey } from '@vigil/i18n';
import { dateWords } from './date-words';
import {
  cleanText,
  link,
  listOf,
  partner,
  renderMail,
  type Block,
  type Inline,
  type RenderedMail,
} from './mail-document';
import { asText, words } from './mail-words';

export type { AlertType };

export interface AlertMailInput {
  alertType: AlertType;
  incident: {
    id: string;
    type: IncidentTypeName;
    occurredOn: PartialDate;
    persons: { id: string; name: string }[];
    organizations: { id: string; name: string }[];
    location?: string | null;
    /** As the partner sent it, checked only for shape at intake: every value is read defensively. */
    details: Record<string, unknown>;
    summary?: string | null;
    source: { name: string; url?: string | null; status: 'confirmed' | 'unconfirmed' };
    status: 'recorded' | 'confirmed' | 'retracted';
    retractionReason?: string | null;
    /** It occurred more than 30 days before it was recorded (isNewlyDocumented in @vigil/domain). */
    newlyDocumented?: boolean;
    /** Absent from alerts routed before incidents had a verification. */
    verification?: VerifiedIncident['verification'];
    sources?: (NonNullable<VerifiedIncident['sources']>[number] & { url?: string | null })[];
    conflicts?: VerifiedIncident['conflicts'];
    officiallyAcknowledged?: boolean;
  };
  /** Display names of the watched persons or organisations this alert is about. */
  watched: string[];
  unsubscribeUrl: string;
  /** The subscriber's manage page (`/manage?token=`): linked from every mail, and the whole of a minimal one. */
  manageUrl?: string;
  /** The subscriber's language; English when absent. */
  language?: Language;
}

type Incident = AlertMailInput['incident'];
type Row = { label: string; value: Inline[] };

const SUBJECT_LIMIT = 120;
const TYPES: readonly string[] = INCIDENT_TYPE_NAMES;

/** The alert mail: what happened, to whom, when, where, by whose account, and how sure it is. */
export function renderAlertMail(input: AlertMailInput): RenderedMail {
  const { incident, alertType } = input;
  const language = input.language ?? 'en';
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(language, key, values);
  const known = TYPES.includes(incident.type);
  const title = known ? t(`type.${incident.type}` as MessageKey) : t('mail.type.other');
  const noun = known ? t(`mail.noun.${incident.type}` as MessageKey) : t('mail.noun.other');
  const watched = watchedNames(input);
  const names = listOf(watched.map(partner), language);
  const prefixed = prefixOf(language, alertType, title);
  const blocks: Block[] = [
    {
      kind: 'heading',
      content: watched.length ? words(language, 'mail.titleWithNames', { title: prefixed, names }) : [prefixed],
    },
    {
      kind: 'paragraph',
      content: [
        t(`mail.lead.${alertType.slice('incident.'.length)}` as MessageKey, { noun }),
        ...(watched.length ? [' ', ...words(language, 'mail.lead.concerns', { names })] : []),
      ],
    },
    // Old news newly brought to light: a family must not read it as something that just happened.
    ...(incident.newlyDocumented
      ? [
          {
            kind: 'paragraph' as const,
            content: [t('mail.newlyDocumented', { date: dateWords(incident.occurredOn, language) })],
          },
        ]
      : []),
    {
      kind: 'facts',
      rows: [...incidentRows(incident, title, language), ...sourceRows(incident, alertType, language)],
    },
  ];
  // The reason first: for a retraction it is the news.
  if (alertType === 'incident.retracted' && cleanText(incident.retractionReason)) {
    blocks.push({ kind: 'prose', label: t('mail.label.retractionReason'), text: cleanText(incident.retractionReason) });
  }
  if (cleanText(incident.summary)) {
    blocks.push({ kind: 'prose', label: t('mail.label.summary'), text: cleanText(incident.summary) });
  }
  blocks.push({
    kind: 'footer',
    paragraphs: [
      watched.length ? words(language, 'mail.footer.watches', { names }) : [`${t('mail.footer.because')}.`],
      ...(input.manageUrl ? [[link(t('mail.footer.manage'), input.manageUrl)]] : []),
      [link(t('mail.footer.unsubscribe'), input.unsubscribeUrl)],
      [t('mail.footer.reference', { id: incident.id })],
    ],
  });
  return renderMail({ subject: subjectOf(language, prefixed, watched), blocks, language });
}

/**
 * The mail of a `minimal` subscription: it names no person, organisation or place, in the subject or the body —
 * someone else may read the mailbox. "An update on a case you follow", and the link to the manage page, which
 * shows the alert in full behind the token.
 */
export function renderMinimalAlertMail(input: {
  manageUrl: string;
  unsubscribeUrl: string;
  language?: Language;
}): RenderedMail {
  const language = input.language ?? 'en';
  const t = (key: MessageKey) => translate(language, key);
  return renderMail({
    subject: t('mail.minimal.subject'),
    language,
    blocks: [
      { kind: 'heading', content: [t('mail.minimal.subject')] },
      { kind: 'paragraph', content: [t('mail.minimal.body')] },
      { kind: 'action', label: t('mail.minimal.action'), href: input.manageUrl },
      {
        kind: 'footer',
        paragraphs: [[t('mail.minimal.footer')], [link(t('mail.footer.unsubscribe'), input.unsubscribeUrl)]],
      },
    ],
  });
}

function prefixOf(language: Language, alertType: AlertType, title: string): string {
  if (alertType === 'incident.recorded') return title;
  return translate(language, `mail.prefix.${alertType.slice('incident.'.length)}` as MessageKey, { title });
}

function watchedNames({ watched, incident }: AlertMailInput): string[] {
  const names = watched.map(cleanText).filter(Boolean);
  if (names.length) return names;
  // The router always says who matched; should it not, name everyone rather than no one.
  return [...incident.persons, ...incident.organizations].map((subject) => cleanText(subject.name)).filter(Boolean);
}

/** "Confirmed — Arrest: A, B and 3 more", as many names as fit in SUBJECT_LIMIT characters, and at least one. */
function subjectOf(language: Language, prefix: string, names: string[]): string {
  if (!names.length) return prefix;
  const withNames = (list: string) => asText(words(language, 'mail.titleWithNames', { title: prefix, names: list }));
  for (let shown = names.length; shown >= 1; shown--) {
    const subject = withNames(nameList(language, names, shown));
    if (subject.length <= SUBJECT_LIMIT) return subject;
  }
  const more = names.length > 1 ? translate(language, 'list.more', { names: '', n: names.length - 1 }) : '';
  const room = SUBJECT_LIMIT - withNames('').length - more.length - 1;
  return withNames(`${names[0].slice(0, Math.max(room, 1)).trimEnd()}…${more}`);
}

function nameList(language: Language, names: string[], shown: number): string {
  if (shown < names.length) {
    return translate(language, 'list.more', {
      names: names.slice(0, shown).join(translate(language, 'list.comma')),
      n: names.length - shown,
    });
  }
  return asText(listOf(names, language));
}

function subjectNames(subjects: { name: string }[], language: Language): Inline[] {
  return listOf(
    subjects.map((subject) => partner(subject.name)).filter((run) => run.text),
    language,
  );
}

function incidentRows(incident: Incident, title: string, language: Language): Row[] {
  const label = (key: MessageKey) => translate(language, key);
  const rows: Row[] = [{ label: label('mail.label.what'), value: [title] }];
  const people = subjectNames(incident.persons, language);
  const organisations = subjectNames(incident.organizations, language);
  if (people.length) rows.push({ label: label('mail.label.people'), value: people });
  if (organisations.length) rows.push({ label: label('mail.label.organizations'), value: organisations });
  rows.push({ label: label('mail.label.when'), value: [dateWords(incident.occurredOn, language)] });
  rows.push(...optional(label('mail.label.where'), incident.location));
  rows.push(...detailRows(incident.type, incident.details ?? {}, language));
  return rows;
}

/** The type's own details (docs/api.md, "Details by type"), each in words, absent ones left out. */
function detailRows(type: IncidentTypeName, details: Record<string, unknown>, language: Language): Row[] {
  const label = (key: MessageKey) => translate(language, key);
  switch (type) {
    case 'arrest':
      return [
        ...optional(label('mail.label.authority'), details.authority),
        ...optional(label('mail.label.facility'), details.facility),
      ];
    case 'release':
      return optional(label('mail.label.conditions'), details.conditions);
    case 'ruling':
      return [
        ...optional(label('mail.label.court'), details.court),
        ...optional(label('mail.label.branch'), details.branch),
        ...optional(label('mail.label.judge'), details.judge),
        ...inWords(label('mail.label.outcome'), 'mail.outcome.', RULING_OUTCOMES, details.outcome, language),
        ...optional(label('mail.label.sentence'), details.sentence),
      ];
    case 'execution': {
      const charges = Array.isArray(details.charges) ? details.charges.map(partner).filter((run) => run.text) : [];
      // A charge may itself hold a comma or an "and": semicolons keep them apart.
      const list = charges.flatMap((charge, index): Inline[] => (index ? ['; ', charge] : [charge]));
      return [
        ...optional(label('mail.label.place'), details.facility),
        ...(list.length ? [{ label: label('mail.label.charges'), value: list }] : []),
      ];
    }
    case 'harassment':
      return inWords(label('mail.label.kind'), 'mail.harassment.', HARASSMENT_KINDS, details.kind, language);
    default:
      return [];
  }
}

function optional(label: string, value: unknown): Row[] {
  const run = partner(value);
  return run.text ? [{ label, value: [run] }] : [];
}

/** A known code in words; an unknown one (a newer partner's) shown as it came. */
function inWords(label: string, prefix: string, codes: readonly string[], code: unknown, language: Language): Row[] {
  if (typeof code === 'string' && codes.includes(code)) {
    return [{ label, value: [translate(language, `${prefix}${code}` as MessageKey)] }];
  }
  return optional(label, code);
}

function sourceRows(incident: Incident, alertType: AlertType, language: Language): Row[] {
  const status = {
    label: translate(language, 'mail.label.status'),
    value: [statusWords(incident, alertType, language)],
  };
  if (incident.sources?.length) return [...verificationRows(incident, language), status];
  const name = partner(incident.source?.name);
  const source = incident.source?.url ? link(name, incident.source.url) : name;
  return [...(name.text ? [{ label: translate(language, 'mail.label.source'), value: [source] }] : []), status];
}

/** How established the incident is, in words, and every source that reported it, each linked. */
function verificationRows(incident: Incident, language: Language): Row[] {
  const label = (key: MessageKey) => translate(language, key);
  const inWords = verificationInWords(incident, language);
  const named = (incident.sources ?? [])
    .map((source) => ({ name: partner(source.name), url: source.url }))
    .filter(({ name }) => name.text);
  // A name may itself hold a comma or an "and": semicolons keep them apart.
  const sources = named.flatMap(({ name, url }, index): Inline[] => [
    ...(index ? ['; '] : []),
    url ? link(name, url) : name,
  ]);
  return [
    ...(inWords ? [{ label: label('mail.label.verification'), value: [inWords] }] : []),
    ...(named.length
      ? [{ label: label(named.length > 1 ? 'mail.label.sources' : 'mail.label.source'), value: sources }]
      : []),
    ...(incident.officiallyAcknowledged
      ? [{ label: label('mail.label.acknowledged'), value: [label('mail.acknowledged')] }]
      : []),
  ];
}

/** The alert type is the newest fact: a confirmation alert says "confirmed" even if its payload was frozen earlier. */
function statusWords(incident: Incident, alertType: AlertType, language: Language): string {
  if (alertType === 'incident.retracted' || incident.status === 'retracted') {
    return translate(language, 'mail.status.retracted');
  }
  if (alertType === 'incident.confirmed' || incident.status === 'confirmed') {
    return translate(language, 'mail.status.confirmed');
  }
  return translate(
    language,
    incident.source?.status === 'confirmed' ? 'mail.status.sourceConfirmed' : 'mail.status.unconfirmed',
  );
}
