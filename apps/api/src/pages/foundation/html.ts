/**
 * Typed templates that escape by default (docs/decisions/0019-pages-from-escaping-tagged-templates.md).
 *
 * `html\`<p>${value}</p>\`` escapes every interpolated value unless it is already `Html` (the result of another
 * `html` template, or of `trusted()` for markup written in this code base). Arrays are joined, `false`,
 * `null` and `undefined` render as nothing, so conditionals and lists read naturally. There is no other way to
 * produce `Html`: text from a partner, a subscriber or a query string cannot become markup by accident.
 */
export class Html {
  /** The brand is private: only this module makes an Html, so `{ value: '<script>' }` is no Html. */
  readonly #markup: string;

  constructor(markup: string, token: symbol) {
    if (token !== MAKER) throw new Error('Html is made by html`` or trusted() only');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

const MAKER = Symbol('html');

export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an element's content and a quoted attribute value alike. */
export const escapeText = (text: string): string => text.replace(/[&<>"']/g, (char) => ENTITIES[char]);

function render(value: Interpolation): string {
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let markup = strings[0];
  values.forEach((value, index) => {
    markup += render(value) + strings[index + 1];
  });
  return new Html(markup, MAKER);
}

/** Markup written in this code base (a constant), never text from outside. */
export const trusted = (markup: string): Html => new Html(markup, MAKER);

/** `name="value"` pairs for the attributes that are on; `checked`, `selected`, `required` … as booleans. */
export function attributes(pairs: Record<string, string | number | boolean | undefined | null>): Html {
  return trusted(
    Object.entries(pairs)
      .filter(([, value]) => value !== false && value !== undefined && value !== null)
      .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeText(String(value))}"`))
      .join(''),
  );
}
