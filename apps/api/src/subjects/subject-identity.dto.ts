import { IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../http/optional';
import { MAX_NAME_LENGTH } from '../intake/incident-report.dto';

export class AddAliasDto {
  /** As written, in any script: it is matched by its normalised key, as the intake matches names. */
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_NAME_LENGTH)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;
}

export class MergeSubjectDto {
  /** The survivor: the subject this one is merged into. */
  @IsUUID()
  into: string;

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

export class UnmergeSubjectDto {
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason?: string;
}
