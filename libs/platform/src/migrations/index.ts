import { CreateEventStore1764384000000 } from './1764384000000-CreateEventStore';
import { CreateSubjectNameKeys1764384200000 } from './1764384200000-CreateSubjectNameKeys';

/** Every migration, in order. Listed by hand: globs break under webpack builds (STYLE.md, trap 6). */
export const MIGRATIONS = [CreateEventStore1764384000000, CreateSubjectNameKeys1764384200000];
