import { adminFa } from './admin-fa';
import type { en } from './en';

/** Every string Vigil shows a person in Persian, key for key with en.ts. */
export const fa: Record<keyof typeof en, string> = {
  'site.name': 'ویجیل',
  'site.tagline': 'هشدار، وقتی گزارشی حقوق بشری نام کسی را می‌برد که دنبالش می‌کنید',
  'layout.skip': 'رفتن به محتوا',
  'layout.language': 'زبان',
  'layout.footer': 'ویجیل چیزی از سایت‌های دیگر بارگذاری نمی‌کند و آماری از بازدیدکنندگان نگه نمی‌دارد.',
  'layout.home': 'صفحهٔ نخست',

  'error.csrf.title': 'این فرم منقضی شده است',
  'error.csrf.body':
    'فرم بیش از اندازه باز مانده بود یا از سایت دیگری فرستاده شده است. برگردید، صفحه را دوباره بارگذاری کنید و فرم را دوباره بفرستید.',
  'error.notFound.title': 'صفحه پیدا نشد',
  'error.notFound.body': 'در این نشانی چیزی نیست.',
  'error.invalid.title': 'لطفاً فرم را بررسی کنید',
  'error.rateLimited.title': 'درخواست‌ها بیش از اندازه است',
  'error.rateLimited.body': 'از اتصال شما درخواست‌های زیادی آمده است. چند دقیقه صبر کنید و دوباره امتحان کنید.',
  'error.unavailable.title': 'ویجیل مشغول است',
  'error.unavailable.body': 'ویجیل اکنون نمی‌تواند پاسخ دهد. چیزی تغییر نکرد. لطفاً یک دقیقهٔ دیگر دوباره امتحان کنید.',

  'confirm.title': 'اشتراک خود را تأیید کنید',
  'confirm.body':
    'برای دریافت هشدارهای ویجیل در این نشانی، دکمه را بزنید. اگر شما درخواست نکرده‌اید، این صفحه را ببندید: چیزی فرستاده نخواهد شد.',
  'confirm.button': 'تأیید اشتراک',
  'confirmed.title': 'اشتراک تأیید شد',
  'confirmed.body': 'هر گاه گزارشی نام کسی را ببرد که دنبالش می‌کنید، هشداری دریافت خواهید کرد.',
  'confirmed.manage':
    'در هر ایمیل هشدار پیوندی به صفحه‌ای هست که در آن می‌توانید اشتراک خود را تغییر دهید، متوقف کنید یا پاک کنید.',
  'invalidLink.title': 'پیوند معتبر نیست',
  'invalidLink.body': 'این پیوند ناشناخته است، پیش‌تر به کار رفته یا منقضی شده است. چیزی تغییر نکرد.',
  'unsubscribe.title': 'لغو اشتراک',
  'unsubscribe.body': 'برای قطع همهٔ هشدارهای این اشتراک و پاک کردن نشانی خود از آن، دکمه را بزنید.',
  'unsubscribe.button': 'لغو اشتراک',
  'unsubscribed.title': 'اشتراک لغو شد',
  'unsubscribed.body': 'از این اشتراک دیگر هشداری دریافت نخواهید کرد و نشانی شما از آن پاک شده است.',

  // The admin console's strings live in admin-fa.ts.
  ...adminFa,
};
