import { Optional } from '../http/optional';
import { Type } from 'class-transformer';
import { IsString, IsUrl, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class ConfirmationSourceDto {
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @Optional() @IsUrl({ protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2048) url?: string;
}

export class ConfirmIncidentDto {
  /** Who vouches for the incident now, if not the admin alone. */
  @Optional()
  @ValidateNested()
  @Type(() => ConfirmationSourceDto)
  source?: ConfirmationSourceDto;
}

export class RetractIncidentDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}
