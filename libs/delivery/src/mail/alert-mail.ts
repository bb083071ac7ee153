import { verificationInWords, type AlertType, type VerifiedIncident } from '@vigil/alerts';
import type { IncidentTypeName, PartialDate } from '@vigil/domain';
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
}

type Incident = AlertMailInput['incident'];
type Row = { label: string; value: Inline[] };

const SUBJECT_LIMIT = 120;

const TYPE_WORDS: Record<IncidentTypeName, { title: string; noun: string }> = {
  arrest: { title: 'Arrest', noun: 'an arrest' },
  release: { title: 'Release', noun: 'a release' },
  ruling: { title: 'Court ruling', noun: 'a court ruling' },
  execution: { title: 'Execution', noun: 'an execution' },
  harassment: { title: 'Harassment', noun: 'harassment' },
};

const OUTCOME_WORDS: Record<string, string> = {
  sentence: 'Sentenced',
  acquittal: 'Acquitted',
  dissolution: 'Organisation dissolved',
  other: 'Other outcome',
};

const HARASSMENT_WORDS: Record<string, string> = {
  digital_attack: 'Digital attack',
  raid: 'Raid',
  closure: 'Closure',
  summons: 'Summons',
  threat: 'Threat',
  other: 'Other harassment',
};

const SUBJECT_PREFIX: Record<AlertType, string> = {
  'incident.recorded': '',
  'incident.corroborated': 'Corroborated — ',
  'incident.disputed': 'Disputed — ',
  'incident.confirmed': 'Confirmed — ',
  'incident.retracted': 'Retracted — ',
};

/** The alert mail: what happened, to whom, when, where, by whose account, and how sure it is. */
export function renderAlertMail(input: AlertMailInput): RenderedMail {
  const { incident, alertType } = input;
  const words = TYPE_WORDS[incident.type] ?? { title: 'Incident', noun: 'an incident' };
  const watched = watchedNames(input);
  const blocks: Block[] = [
    { kind: 'heading', content: withNames(`${SUBJECT_PREFIX[alertType]}${words.title}`, ': ', watched, '') },
    { kind: 'paragraph', content: lead(alertType, words.noun, watched) },
    // Old news newly brought to light: a family must not read it as something that just happened.
    ...(incident.newlyDocumented
      ? [
          {
            kind: 'paragraph' as const,
            content: [
              `Newly documented: this happened on ${dateWords(incident.occurredOn)}, more than 30 days before it was reported to Vigil.`,
            ],
          },
        ]
      : []),
    { kind: 'facts', rows: [...incidentRows(incident, words.title), ...sourceRows(incident, alertType)] },
  ];
  // The reason first: for a retraction it is the news.
  if (alertType === 'incident.retracted' && cleanText(incident.retractionReason)) {
    blocks.push({ kind: 'prose', label: 'Why it was retracted', text: cleanText(incident.retractionReason) });
  }
  if (cleanText(incident.summary)) blocks.push({ kind: 'prose', label: 'Summary', text: cleanText(incident.summary) });
  blocks.push({
    kind: 'footer',
    paragraphs: [
      withNames('You receive this because of your Vigil subscription', ', which watches ', watched, '.'),
      [link('Unsubscribe from these alerts', input.unsubscribeUrl)],
      [`Incident reference: ${incident.id}`],
    ],
  });
  return renderMail({ subject: subjectOf(alertType, words.title, watched), blocks });
}

/** `text` + `joint` + the names + `end`; just `text` (+ `end` when there is text) if there are no names. */
function withNames(text: string, joint: string, names: string[], end: string): Inline[] {
  if (!names.length) return text ? [text, end] : [];
  return [text, joint, ...listOf(names.map(partner)), end];
}

function watchedNames({ watched, incident }: AlertMailInput): string[] {
  const names = watched.map(cleanText).filter(Boolean);
  if (names.length) return names;
  // The router always says who matched; should it not, name everyone rather than no one.
  return [...incident.persons, ...incident.organizations].map((subject) => cleanText(subject.name)).filter(Boolean);
}

/** "Confirmed — Arrest: A, B and 3 more", as many names as fit in SUBJECT_LIMIT characters, and at least one. */
function subjectOf(alertType: AlertType, title: string, names: string[]): string {
  const prefix = `${SUBJECT_PREFIX[alertType]}${title}`;
  if (!names.length) return prefix;
  for (let shown = names.length; shown >= 1; shown--) {
    const subject = `${prefix}: ${nameList(names, shown)}`;
    if (subject.length <= SUBJECT_LIMIT) return subject;
  }
  const more = names.length > 1 ? ` and ${names.length - 1} more` : '';
  const room = SUBJECT_LIMIT - prefix.length - 2 - more.length - 1;
  return `${prefix}: ${names[0].slice(0, Math.max(room, 1)).trimEnd()}…${more}`;
}

function nameList(names: string[], shown: number): string {
  if (shown < names.length) return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function lead(alertType: AlertType, noun: string, watched: string[]): Inline[] {
  const about = withNames('', 'It concerns ', watched, ', on your watch list.');
  switch (alertType) {
    case 'incident.recorded':
      return [`Vigil has received a report of ${noun}. `, ...about];
    case 'incident.corroborated':
      return [`Another source now reports the ${noun.replace(/^an? /, '')} that Vigil alerted you about. `, ...about];
    case 'incident.disputed':
      return [`Sources disagree on the report of ${noun} that Vigil alerted you about. `, ...about];
    case 'incident.confirmed':
      return [`The report of ${noun} that Vigil alerted you about has now been confirmed. `, ...about];
    case 'incident.retracted':
      return [`The report of ${noun} that Vigil alerted you about has been retracted: do not rely on it. `, ...about];
  }
}

function names(subjects: { name: string }[]): Inline[] {
  return listOf(subjects.map((subject) => partner(subject.name)).filter((run) => run.text));
}

function incidentRows(incident: Incident, title: string): Row[] {
  const rows: Row[] = [{ label: 'What', value: [title] }];
  const people = names(incident.persons);
  const organisations = names(incident.organizations);
  if (people.length) rows.push({ label: 'People', value: people });
  if (organisations.length) rows.push({ label: 'Organisations', value: organisations });
  rows.push({ label: 'When', value: [dateWords(incident.occurredOn)] });
  rows.push(...optional('Where', incident.location));
  rows.push(...detailRows(incident.type, incident.details ?? {}));
  return rows;
}

/** The type's own details (docs/api.md, "Details by type"), each in words, absent ones left out. */
function detailRows(type: IncidentTypeName, details: Record<string, unknown>): Row[] {
  switch (type) {
    case 'arrest':
      return [...optional('Arrested by', details.authority), ...optional('Held at', details.facility)];
    case 'release':
      return optional('Conditions', details.conditions);
    case 'ruling':
      return [
        ...optional('Court', details.court),
        ...optional('Branch', details.branch),
        ...optional('Judge', details.judge),
        ...inWords('Outcome', OUTCOME_WORDS, details.outcome),
        ...optional('Sentence', details.sentence),
      ];
    case 'execution': {
      const charges = Array.isArray(details.charges) ? details.charges.map(partner).filter((run) => run.text) : [];
      // A charge may itself hold a comma or an "and": semicolons keep them apart.
      const list = charges.flatMap((charge, index): Inline[] => (index ? ['; ', charge] : [charge]));
      return [...optional('Place', details.facility), ...(list.length ? [{ label: 'Charges', value: list }] : [])];
    }
    case 'harassment':
      return inWords('Kind', HARASSMENT_WORDS, details.kind);
    default:
      return [];
  }
}

function optional(label: string, value: unknown): Row[] {
  const run = partner(value);
  return run.text ? [{ label, value: [run] }] : [];
}

/** A known code in words; an unknown one (a newer partner's) shown as it came. */
function inWords(label: string, words: Record<string, string>, code: unknown): Row[] {
  if (typeof code === 'string' && Object.hasOwn(words, code)) return [{ label, value: [words[code]] }];
  return optional(label, code);
}

function sourceRows(incident: Incident, alertType: AlertType): Row[] {
  const status = { label: 'Status', value: [statusWords(incident, alertType)] };
  if (incident.sources?.length) return [...verificationRows(incident), status];
  const name = partner(incident.source?.name);
  const source = incident.source?.url ? link(name, incident.source.url) : name;
  return [...(name.text ? [{ label: 'Source', value: [source] }] : []), status];
}

/** How established the incident is, in words, and every source that reported it, each linked. */
function verificationRows(incident: Incident): Row[] {
  const words = verificationInWords(incident);
  const named = (incident.sources ?? [])
    .map((source) => ({ name: partner(source.name), url: source.url }))
    .filter(({ name }) => name.text);
  // A name may itself hold a comma or an "and": semicolons keep them apart.
  const sources = named.flatMap(({ name, url }, index): Inline[] => [
    ...(index ? ['; '] : []),
    url ? link(name, url) : name,
  ]);
  return [
    ...(words ? [{ label: 'Verification', value: [words] }] : []),
    ...(named.length ? [{ label: named.length > 1 ? 'Sources' : 'Source', value: sources }] : []),
    ...(incident.officiallyAcknowledged
      ? [{ label: 'Acknowledged', value: ['a state body or state media reported it (attribution, not proof)'] }]
      : []),
  ];
}

/** The alert type is the newest fact: a confirmation alert says "confirmed" even if its payload was frozen earlier. */
function statusWords(incident: Incident, alertType: AlertType): string {
  if (alertType === 'incident.retracted' || incident.status === 'retracted') return 'Retracted';
  if (alertType === 'incident.confirmed' || incident.status === 'confirmed') return 'Confirmed';
  return incident.source?.status === 'confirmed'
    ? 'Not yet confirmed by Vigil; the source reports it as confirmed'
    : 'Unconfirmed';
}
