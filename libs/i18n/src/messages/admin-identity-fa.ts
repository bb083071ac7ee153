import type { adminIdentityEn } from './admin-identity-en';

/** The admin console's words for who is who, in Persian, key for key with admin-identity-en.ts. */
export const adminIdentityFa: Record<keyof typeof adminIdentityEn, string> = {
  'admin.nav.review': 'بررسی',

  'admin.done.merged':
    'یکی شدند: پروندهٔ دیگر اکنون یکی از نام‌های این پرونده است. این کار را پایین همین صفحه می‌توان برگرداند.',
  'admin.done.unmerged': 'جدا شد: این پرونده دوباره جداگانه است، با گزارش‌هایی که نامش را آورده بودند.',
  'admin.done.aliasAdded': 'نام افزوده شد: از این پس گزارش‌هایی که این نام را می‌آورند به همین پرونده می‌رسند.',
  'admin.done.aliasKnown': 'این نام از پیش از آنِ همین پرونده بود؛ چیزی تغییر نکرد.',
  'admin.done.dismissed': 'کنار گذاشته شد: دیگر پیشنهاد نمی‌شود.',

  'admin.reason.persian_letters': 'همان نام، وقتی شکل‌های فارسی و عربی حروف یکی شوند',
  'admin.reason.transliteration': 'همان نام در آوانگاری لاتین',
  'admin.reason.one_letter_apart': 'یک حرف تفاوت در واژه‌ای بلند',

  'admin.identity.openedMerged': 'پرونده‌ای که باز کردید با این پرونده یکی شده است.',
  'admin.identity.similar': 'نام‌های همانند',
  'admin.identity.similarHint':
    'دیگرانی که نامشان شاید همین کس را نشان دهد. ویجیل هرگز خودش یکی نمی‌کند: هر دو را ببینید، سپس یکی کنید یا بگویید یکی نیستند.',
  'admin.identity.similarNone': 'نام همانندی نیست.',
  'admin.identity.reason': 'چرا',
  'admin.identity.proposed': 'پیشنهاد',
  'admin.identity.dismissed': 'یکی نیستند (کنار گذاشته شد)',
  'admin.identity.inGroup': 'با این پرونده یکی شده',
  'admin.identity.mergeInto': 'یکی کردن این پرونده با {name}',
  'admin.identity.notSame': 'با {name} یکی نیست',
  'admin.identity.addAlias': 'افزودن نامی دیگر',
  'admin.identity.aliasLabel': 'نام دیگر',
  'admin.identity.aliasHint':
    'نگارشی دیگر، یا همین نام به خطی دیگر. از این پس گزارش‌هایی که آن را می‌آورند به همین پرونده می‌رسند.',
  'admin.identity.aliasButton': 'افزودن نام',
  'admin.identity.merge': 'یکی کردن با پرونده‌ای دیگر',
  'admin.identity.mergeHint':
    'وقتی دو پرونده یک کس یا یک سازمان‌اند: این پرونده یکی از نام‌های دیگری می‌شود و رویدادها و عضویت‌هایش هم با آن می‌روند. یکی کردن برگشت‌پذیر است.',
  'admin.identity.mergeLink': 'انتخاب پرونده‌ای که {name} با آن یکی شود',
  'admin.identity.mergedFrom': 'پرونده‌های یکی‌شده با این',
  'admin.identity.mergedFromHint':
    'پرونده‌هایی که با این پرونده یکی شده‌اند. اگر یکی کردن نادرست بود جدایش کنید: دوباره جداگانه می‌شود، با گزارش‌هایی که نامش را آورده بودند.',
  'admin.identity.record': 'پرونده',
  'admin.identity.unmerge': 'جدا کردن',
  'admin.identity.unmergeReason': 'چرا (اختیاری)',

  'admin.merge.title': 'یکی کردن {name} با پرونده‌ای دیگر',
  'admin.merge.body':
    '{name} به‌عنوان یکی از نام‌های پرونده‌ای که برمی‌گزینید نگه داشته می‌شود؛ رویدادها و عضویت‌هایش هم با آن می‌روند و دنبال‌کنندگانش دربارهٔ هر دو خبر می‌گیرند. آنچه پیش‌تر فرستاده شده دوباره فرستاده نمی‌شود.',
  'admin.merge.search': 'یافتن پروندهٔ دیگر با نام',
  'admin.merge.searchButton': 'جستجو',
  'admin.merge.into': 'یکی کردن با',
  'admin.merge.fromSearch': 'یافته در جستجو',
  'admin.merge.none': 'هنوز گزینه‌ای نیست: بالا با نام جستجو کنید یا پایین شناسه را بدهید.',
  'admin.merge.intoId': 'یا شناسهٔ پروندهٔ دیگر',
  'admin.merge.intoIdHint':
    'همان‌گونه که در نشانی صفحه‌اش آمده. شناسه‌ای که اینجا بدهید به جای گزینهٔ بالا به کار می‌رود.',
  'admin.merge.reason': 'چرا یکی‌اند',
  'admin.merge.button': 'یکی کردن',

  'admin.refused.title': 'این درخواست پذیرفته نشد و چیزی تغییر نکرد.',
  'admin.refused.400': 'چیزی در فرم درست نیست:',
  'admin.refused.404': 'یکی از پرونده‌ها وجود ندارد: شناسه را بررسی کنید.',
  'admin.refused.409':
    'یکی از این دو پیش‌تر با پرونده‌ای دیگر یکی شده است: نخست جدایش کنید، یا با همان پرونده‌ای یکی کنید که با آن یکی شده است.',
  'admin.refused.alias409': 'این نام از آنِ پرونده‌ای دیگر است: به جای آن، دو پرونده را یکی کنید.',
  'admin.refused.other': 'پاسخ API مدیریت:',

  'admin.review.title': 'در انتظار بررسی',
  'admin.review.body':
    'آنچه ویجیل پیشنهاد می‌کند و هرگز خودش انجام نمی‌دهد، قدیمی‌ترین نخست. هر دو را باز کنید، سپس یکی کنید، یا آنچه را یکی نیست کنار بگذارید.',
  'admin.review.none': 'چیزی در انتظار بررسی نیست.',
  'admin.review.since': 'از',
  'admin.review.kind': 'گونه',
  'admin.review.what': 'چه',
  'admin.review.and': 'و',
  'admin.review.incident': 'رویداد {n}',
  'admin.review.dismiss': 'کنار گذاشتن',
  'admin.review.dismissItem': 'کنار گذاشتن مورد {n}',
  'admin.review.otherKind': 'برای بررسی',
  'admin.reviewKind.similar_names': 'نام‌های همانند',
  'admin.review.settleOnIncident': 'در صفحهٔ رویداد حل می‌شود',
  'admin.reviewKind.possible_duplicate': 'رویدادهایی که شاید یکی‌اند',
  'admin.reviewKind.conflict': 'ناهمخوانی منابع',
  'admin.dashboard.review': 'در انتظار بررسی',
  'admin.dashboard.reviewCount': '{n} در انتظار',
  'admin.dashboard.noReview': 'هیچ',
};
