/**
 * The only script of the public pages, served from /assets/suggest.js (no inline script: the pages' CSP has no
 * 'unsafe-inline'). Forms work without it; with it:
 * - an input with `data-suggest="person|organization"` and a `list` attribute gets the names Vigil already knows
 *   from published incidents as suggestions while one types (GET /suggestions, at most every 250 ms);
 * - a button with `data-more="<id of a group>"` adds one more empty input to that group, a copy of its last one.
 * It sends nothing but the typed prefix to Vigil itself, and stores nothing.
 */
export const SUGGEST_SCRIPT = `'use strict';
(function () {
  var timers = new WeakMap();
  function fill(list, names) {
    while (list.firstChild) list.removeChild(list.firstChild);
    names.forEach(function (name) {
      var option = document.createElement('option');
      option.value = name;
      list.appendChild(option);
    });
  }
  function ask(input) {
    var list = input.list;
    var q = input.value.trim();
    if (!list || q.length < 2) return;
    var url = '/suggestions?kind=' + encodeURIComponent(input.getAttribute('data-suggest')) + '&q=' + encodeURIComponent(q);
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'omit', referrerPolicy: 'no-referrer' })
      .then(function (answer) { return answer.ok ? answer.json() : { names: [] }; })
      .then(function (body) { if (input.value.trim() === q) fill(list, body.names || []); })
      .catch(function () {});
  }
  document.addEventListener('input', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute('data-suggest')) return;
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(function () { ask(input); }, 250));
  });
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-more]') : null;
    if (!button) return;
    var group = document.getElementById(button.getAttribute('data-more'));
    var inputs = group ? group.querySelectorAll('input[type=text]') : [];
    if (!inputs.length) return;
    var last = inputs[inputs.length - 1];
    var copy = last.cloneNode(false);
    copy.value = '';
    copy.removeAttribute('id');
    last.insertAdjacentElement('afterend', copy);
    copy.focus();
  });
  document.querySelectorAll('[data-more]').forEach(function (button) { button.hidden = false; });
})();
`;
