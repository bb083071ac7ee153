import type { Language } from './languages';

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** Western digits written as the language writes them: Persian text uses its own digits (۱۴۰۵, not 1405). */
export function localDigits(text: string | number, language: Language): string {
  const value = String(text);
  return language === 'fa' ? value.replace(/[0-9]/g, (digit) => PERSIAN_DIGITS[Number(digit)]) : value;
}
