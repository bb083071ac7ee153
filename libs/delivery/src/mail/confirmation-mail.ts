import { INCIDENT_TYPE_NAMES } from '@vigil/domain';
import { translate, type Language, type MessageKey } from '@vigil/i18n';
import { listOf, partner, renderMail, type Block, type Inline, type RenderedMail } from './mail-document';
import { words } from './mail-words';

export interface ConfirmationMailInput {
  confirmUrl: string;
  /** As the subscriber typed them: names or ids. */
  watch: { persons: string[]; organizations: string[] };
  /** Incident types the subscription is limited to; none means every type. */
  types?: string[];
  /** The language the subscriber chose; English when absent. */
  language?: Language;
}

const TYPES: readonly string[] = INCIDENT_TYPE_NAMES;

/**
 * The one mail an unconfirmed address may receive. Anyone can type any address, so it says plainly
 * what was asked for and that ignoring it is enough; the subject carries none of the requester's words.
 */
export function renderConfirmationMail(input: ConfirmationMailInput): RenderedMail {
  const language = input.language ?? 'en';
  const t = (key: MessageKey) => translate(language, key);
  const rows = [
    ...watchRow(t('mail.label.people'), input.watch.persons, language),
    ...watchRow(t('mail.label.organizations'), input.watch.organizations, language),
    { label: t('mail.confirm.incidents'), value: typeWords(input.types, language) },
  ];
  const blocks: Block[] = [
    { kind: 'heading', content: [t('mail.confirm.subject')] },
    { kind: 'paragraph', content: [t('mail.confirm.intro')] },
    { kind: 'facts', rows },
    { kind: 'paragraph', content: [t('mail.confirm.nothingUnless')] },
    { kind: 'action', label: t('mail.confirm.action'), href: input.confirmUrl },
    {
      kind: 'footer',
      paragraphs: [
        [t('mail.confirm.ignore')],
        // Mail scanners open links: the page asks for a click, so opening it alone confirms nothing.
        [t('mail.confirm.button')],
      ],
    },
  ];
  return renderMail({ subject: t('mail.confirm.subject'), blocks, language });
}

function watchRow(label: string, entries: string[], language: Language): { label: string; value: Inline[] }[] {
  const runs = (entries ?? []).map(partner).filter((run) => run.text);
  return runs.length ? [{ label, value: listOf(runs, language) }] : [];
}

function typeWords(types: string[] | undefined, language: Language): Inline[] {
  const chosen = (types ?? []).filter((type, index, all) => all.indexOf(type) === index);
  const plural = (type: string): Inline =>
    TYPES.includes(type) ? translate(language, `mail.plural.${type}` as MessageKey) : partner(type);
  if (!chosen.length) {
    return words(language, 'mail.confirm.everyKind', { types: capitalisedList(TYPES.map(plural), language) });
  }
  return words(language, 'mail.confirm.only', { types: capitalisedList(chosen.map(plural), language) });
}

function capitalisedList([first, ...rest]: Inline[], language: Language): Inline[] {
  const capitalised = typeof first === 'string' ? first[0].toUpperCase() + first.slice(1) : first;
  return listOf([capitalised, ...rest], language);
}
