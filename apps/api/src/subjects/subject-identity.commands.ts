import { Command } from '@nestjs/cqrs';
import type { Subject } from '@vigil/domain';

export interface AliasResult {
  id: string;
  alias: string;
  /** False when the subject was already known by this name's key: nothing was written. */
  added: boolean;
}

export interface MergeResult {
  id: string;
  into: string;
  status: 'merged';
}

export interface UnmergeResult {
  id: string;
  from: string;
  status: 'unmerged';
}

export class AddAlias extends Command<AliasResult> {
  constructor(
    readonly subject: Subject,
    readonly id: string,
    readonly alias: string,
    readonly requestId: string,
  ) {
    super();
  }
}

export class MergeSubject extends Command<MergeResult> {
  constructor(
    readonly subject: Subject,
    readonly id: string,
    readonly into: string,
    readonly reason: string,
    readonly requestId: string,
  ) {
    super();
  }
}

export class UnmergeSubject extends Command<UnmergeResult> {
  constructor(
    readonly subject: Subject,
    readonly id: string,
    readonly reason: string | undefined,
    readonly requestId: string,
  ) {
    super();
  }
}
