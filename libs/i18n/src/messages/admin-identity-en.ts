/**
 * The admin console's words for who is who (docs/console.md): similar names, other names, merges and the review
 * list. Apart from admin-en.ts so the identity screens grow on their own; en.ts spreads them in, and
 * admin-identity-fa.ts must match them key for key.
 */
export const adminIdentityEn = {
  'admin.nav.review': 'Review',

  'admin.done.merged': 'Merged: the other record is now one of the names of this one. It can be undone below.',
  'admin.done.unmerged': 'Unmerged: this record stands on its own again, with the reports that named it.',
  'admin.done.aliasAdded': 'The name is added: from now on reports naming it are theirs.',
  'admin.done.aliasKnown': 'This name was already theirs; nothing changed.',
  'admin.done.dismissed': 'Dismissed: it will not be proposed again.',

  'admin.reason.persian_letters': 'the same name once Persian and Arabic letter forms are folded',
  'admin.reason.transliteration': 'the same transliteration in Latin letters',
  'admin.reason.one_letter_apart': 'one letter apart in a long word',

  'admin.identity.openedMerged': 'The record you opened is merged into this one.',
  'admin.identity.similar': 'Similar names',
  'admin.identity.similarHint':
    'Others whose names may denote the same one. Vigil never merges by itself: look at both, then merge, or say they are not the same.',
  'admin.identity.similarNone': 'No similar names.',
  'admin.identity.reason': 'Why',
  'admin.identity.proposed': 'Proposed',
  'admin.identity.dismissed': 'not the same (dismissed)',
  'admin.identity.inGroup': 'merged into this one',
  'admin.identity.mergeInto': 'Merge this one into {name}',
  'admin.identity.notSame': 'Not the same as {name}',
  'admin.identity.addAlias': 'Add another name',
  'admin.identity.aliasLabel': 'The other name',
  'admin.identity.aliasHint':
    'Another spelling, or the name in another script. From now on reports naming it are theirs.',
  'admin.identity.aliasButton': 'Add the name',
  'admin.identity.merge': 'Merge into another',
  'admin.identity.mergeHint':
    'When two records are one and the same: this one becomes a name of the other, and its incidents and memberships go with it. A merge can be undone.',
  'admin.identity.mergeLink': 'Choose whom to merge {name} into',
  'admin.identity.mergedFrom': 'Merged into this one',
  'admin.identity.mergedFromHint':
    'Records joined to this one. Unmerge one if the merge was wrong: it stands on its own again, with the reports that named it.',
  'admin.identity.record': 'Record',
  'admin.identity.unmerge': 'Unmerge',
  'admin.identity.unmergeReason': 'Why (optional)',

  'admin.merge.title': 'Merge {name} into another',
  'admin.merge.body':
    '{name} will be kept as one of the names of the record you choose; its incidents and memberships go with it, and its watchers hear about both. Nothing already sent is sent again.',
  'admin.merge.search': 'Find the other by name',
  'admin.merge.searchButton': 'Search',
  'admin.merge.into': 'Merge into',
  'admin.merge.fromSearch': 'found by the search',
  'admin.merge.none': 'No one to choose yet: search by name above, or give the id below.',
  'admin.merge.intoId': 'Or the id of the other',
  'admin.merge.intoIdHint': 'As in the address of its page. An id given here is used instead of a choice above.',
  'admin.merge.reason': 'Why they are the same',
  'admin.merge.button': 'Merge',

  'admin.refused.title': 'This was refused, and nothing was changed.',
  'admin.refused.400': 'Something in the form is not right:',
  'admin.refused.404': 'One of the records does not exist: check the id.',
  'admin.refused.409':
    'One of the two is already merged into another record: unmerge it first, or merge into the one it is merged into.',
  'admin.refused.alias409': 'This name already belongs to another record: merge the two instead.',
  'admin.refused.other': 'The admin API answered:',

  'admin.review.title': 'Waiting for review',
  'admin.review.body':
    'What Vigil proposes and never does by itself, oldest first. Open both, then merge them, or dismiss what is not the same.',
  'admin.review.none': 'Nothing waits for review.',
  'admin.review.since': 'Since',
  'admin.review.kind': 'Kind',
  'admin.review.what': 'What',
  'admin.review.and': 'and',
  'admin.review.incident': 'incident {n}',
  'admin.review.dismiss': 'Dismiss',
  'admin.review.dismissItem': 'Dismiss item {n}',
  'admin.review.otherKind': 'To check',
  'admin.reviewKind.similar_names': 'Similar names',
  'admin.review.settleOnIncident': 'Settled on the incident’s page',
  'admin.reviewKind.possible_duplicate': 'Possible duplicate incidents',
  'admin.reviewKind.conflict': 'Sources disagree',
  'admin.dashboard.review': 'Waiting for review',
  'admin.dashboard.reviewCount': '{n} waiting',
  'admin.dashboard.noReview': 'Nothing',
} as const;
