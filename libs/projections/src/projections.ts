import type { Projection } from '@vigil/consumers';
import { IncidentsProjection } from './incidents.projection';
import { NameIndexProjection } from './name-index.projection';
import { NameWordsProjection } from './name-words.projection';
import { OrganizationsProjection } from './organizations.projection';
import { PersonsProjection } from './persons.projection';
import { SimilarNamesProjection } from './similar-names.projection';
import { SubjectMergesProjection } from './subject-merges.projection';

/** Every read model the worker keeps and the admin API can rebuild. */
export function createProjections(): Projection[] {
  return [
    new IncidentsProjection(),
    new PersonsProjection(),
    new OrganizationsProjection(),
    new NameIndexProjection(),
    new NameWordsProjection(),
    new SimilarNamesProjection(),
    new SubjectMergesProjection(),
  ];
}
