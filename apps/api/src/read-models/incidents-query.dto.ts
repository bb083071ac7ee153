import { IsIn, IsISO8601, IsUUID, Matches } from 'class-validator';
import { INCIDENT_TYPE_NAMES, VERIFICATIONS, type IncidentTypeName, type Verification } from '@vigil/domain';
import { ListQueryDto } from '../http/list-query.dto';
import { Optional } from '../http/optional';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A day that exists: `2020-02-30` would otherwise reach PostgreSQL and fail there. */
const IsDay = (): PropertyDecorator => (target, key) => {
  Matches(DAY, { message: 'must be YYYY-MM-DD' })(target, key);
  IsISO8601({ strict: true }, { message: 'must be a day that exists' })(target, key);
};

export class IncidentsQueryDto extends ListQueryDto {
  @Optional() @IsIn(INCIDENT_TYPE_NAMES) type?: IncidentTypeName;
  @Optional() @IsUUID('all') personId?: string;
  @Optional() @IsUUID('all') organizationId?: string;
  /** Incidents at this verification (reported, corroborated, confirmed, disputed, retracted). */
  @Optional() @IsIn(VERIFICATIONS) verification?: Verification;
  /** Incidents this registered source reported (one of their `sources`). */
  @Optional() @IsUUID('all') sourceId?: string;
  /** Incidents whose date range reaches this day or later (YYYY-MM-DD). */
  @Optional() @IsDay() from?: string;
  /** Incidents whose date range starts on this day or earlier (YYYY-MM-DD). */
  @Optional() @IsDay() to?: string;
}
