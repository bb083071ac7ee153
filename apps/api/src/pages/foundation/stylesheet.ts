/**
 * The one stylesheet of every page, served by Vigil itself (/assets/vigil.css): no web font, no image, nothing
 * from elsewhere. Logical properties (margin-inline-start …) so one sheet serves left-to-right and right-to-left.
 * Colours keep at least 4.5:1 contrast (axe checks it in the browser specs).
 */
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,Tahoma,"Noto Sans Arabic","Noto Naskh Arabic",sans-serif;color:#1a1a1a;background:#f6f6f4}
:lang(fa){line-height:1.9}
a{color:#0b4fa8}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{inset-inline-start:.5rem;z-index:1}
header.site,main,footer.site{max-width:44rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;padding-block:.75rem;border-bottom:1px solid #d6d6d0}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:#1a1a1a}
.languages{display:flex;gap:.75rem;list-style:none;margin:0;padding:0}
.languages [aria-current]{font-weight:700}
main{background:#fff;padding-block:1rem 2rem;margin-block:1rem;border-radius:.4rem}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.75rem 0 .5rem}
p,ul{margin:0 0 1rem}
footer.site{font-size:.875rem;color:#4a4a4a;padding-block:1rem 2rem}
.lead{font-size:1.1rem}
.columns{display:grid;gap:0 1.5rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
form{margin:0}
fieldset{border:1px solid #d6d6d0;border-radius:.4rem;margin:0 0 1.25rem;padding:.75rem 1rem}
legend{font-weight:700;padding:0 .25rem}
.field{margin:0 0 1.25rem}
.field>label,.label{display:block;font-weight:700;margin-bottom:.25rem}
.hint{display:block;color:#4a4a4a;font-size:.9rem;margin:0 0 .35rem}
input[type=email],input[type=text],select,textarea{width:100%;max-width:30rem;font:inherit;padding:.5rem .6rem;border:1px solid #6b6b6b;border-radius:.3rem;background:#fff;color:#1a1a1a}
input[type=text]+input[type=text]{margin-top:.4rem}
.choice{display:flex;align-items:flex-start;gap:.5rem;margin:.35rem 0}
.choice input{margin-top:.35rem;width:1.1rem;height:1.1rem;flex:none}
button,.button{display:inline-block;font:inherit;font-weight:700;padding:.6rem 1.2rem;border:0;border-radius:.3rem;background:#0b4fa8;color:#fff;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:#0b4fa8;border:2px solid #0b4fa8}
button.danger{background:#a3160f}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:1rem 0}
.notice{border-inline-start:4px solid #0b4fa8;background:#eef3fb;padding:.75rem 1rem;margin:0 0 1rem}
.problem{border-inline-start:4px solid #a3160f;background:#fbeeee;padding:.75rem 1rem;margin:0 0 1rem}
.error{color:#a3160f;font-weight:700;display:block}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dl.facts dt{font-weight:700}
dl.facts dd{margin:0}
.partner{unicode-bidi:isolate}
table{border-collapse:collapse;width:100%;margin:0 0 1rem}
th,td{text-align:start;padding:.35rem .5rem;border-bottom:1px solid #e2e2dc;vertical-align:top}
@media (max-width:30rem){main{border-radius:0;margin-block:0}h1{font-size:1.35rem}dl.facts{grid-template-columns:1fr}}
body.wide header.site,body.wide main,body.wide footer.site,nav.console{max-width:72rem}
nav.console{margin:0 auto;padding:.5rem 1rem;border-bottom:1px solid #d6d6d0}
nav.console ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0;align-items:center}
nav.console [aria-current]{font-weight:700;color:#1a1a1a}
nav.console li.signout{margin-inline-start:auto}
nav.console button{padding:.25rem .75rem}
input[type=password],input[type=url],input[type=date],input[type=search]{width:100%;max-width:30rem;font:inherit;padding:.5rem .6rem;border:1px solid #6b6b6b;border-radius:.3rem;background:#fff;color:#1a1a1a}
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}
.filters .field{min-width:10rem}
.scroll{overflow-x:auto;margin:0 0 1rem}
.scroll table{margin:0}
caption{text-align:start;font-weight:700;font-size:1.1rem;padding:.25rem 0 .5rem}
td form{display:inline}
td button{padding:.3rem .7rem;font-size:.9rem}
pre{white-space:pre-wrap;word-break:break-word;font-size:.85rem;margin:0;max-width:40rem}
.secret{font-family:ui-monospace,monospace;font-size:1.05rem;background:#fff8e6;border:1px solid #b35c00;padding:.5rem .75rem;word-break:break-all;unicode-bidi:isolate;direction:ltr}
.status-failed,.status-dead,.status-retracted{color:#a3160f;font-weight:700}
.muted{color:#4a4a4a}
`.trim();
