import type { IncidentTypeName } from '@vigil/domain';
import { listOf, partner, renderMail, type Block, type Inline, type RenderedMail } from './mail-document';

export interface ConfirmationMailInput {
  confirmUrl: string;
  /** As the subscriber typed them: names or ids. */
  watch: { persons: string[]; organizations: string[] };
  /** Incident types the subscription is limited to; none means every type. */
  types?: string[];
}

const TYPE_PLURALS: Record<IncidentTypeName, string> = {
  arrest: 'arrests',
  release: 'releases',
  ruling: 'court rulings',
  execution: 'executions',
  harassment: 'harassment',
};

/**
 * The one mail an unconfirmed address may receive. Anyone can type any address, so it says plainly
 * what was asked for and that ignoring it is enough; the subject carries none of the requester's words.
 */
export function renderConfirmationMail(input: ConfirmationMailInput): RenderedMail {
  const rows = [
    ...watchRow('People', input.watch.persons),
    ...watchRow('Organisations', input.watch.organizations),
    { label: 'Incidents', value: typeWords(input.types) },
  ];
  const blocks: Block[] = [
    { kind: 'heading', content: ['Confirm your Vigil alerts'] },
    {
      kind: 'paragraph',
      content: [
        'Someone, probably you, asked Vigil to send alerts to this address whenever a report of a human-rights ' +
          'incident names one of these people or organisations:',
      ],
    },
    { kind: 'facts', rows },
    { kind: 'paragraph', content: ['Nothing will be sent to this address unless you confirm.'] },
    { kind: 'action', label: 'Confirm my subscription', href: input.confirmUrl },
    {
      kind: 'footer',
      paragraphs: [
        ['If you did not ask for this, ignore this mail: you will receive nothing more from Vigil.'],
        // Mail scanners open links: the page asks for a click, so opening it alone confirms nothing.
        ['The link opens a page with a button: opening the page alone does not subscribe you.'],
      ],
    },
  ];
  return renderMail({ subject: 'Confirm your Vigil alerts', blocks });
}

function watchRow(label: string, entries: string[]): { label: string; value: Inline[] }[] {
  const runs = (entries ?? []).map(partner).filter((run) => run.text);
  return runs.length ? [{ label, value: listOf(runs) }] : [];
}

function typeWords(types: string[] | undefined): Inline[] {
  const chosen = (types ?? []).filter((type, index, all) => all.indexOf(type) === index);
  if (!chosen.length) return [...capitalisedList(Object.values(TYPE_PLURALS)), ' (every kind)'];
  const words = chosen.map((type) =>
    Object.hasOwn(TYPE_PLURALS, type) ? TYPE_PLURALS[type as IncidentTypeName] : partner(type),
  );
  return [...capitalisedList(words), ' only'];
}

function capitalisedList([first, ...rest]: Inline[]): Inline[] {
  const capitalised = typeof first === 'string' ? first[0].toUpperCase() + first.slice(1) : first;
  return listOf([capitalised, ...rest]);
}
