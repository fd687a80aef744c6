import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One anonymous thread per receipt code (see the intake migration). The lookup id is derived
 * from the code in the person's browser; the server cannot go back from it to the code.
 */
@Entity({ name: 'intake_thread' })
@Check('intake_thread_lookup_id_bytes', 'octet_length(lookup_id) = 16')
@Check('intake_thread_reply_key_bytes', 'octet_length(reply_public_key) = 32')
@Index('intake_thread_case_id', ['caseId'])
export class IntakeThreadEntity {
  @PrimaryColumn({
    name: 'lookup_id',
    type: 'bytea',
    primaryKeyConstraintName: 'intake_thread_pkey',
  })
  lookupId!: Buffer;

  /** Staff seal their replies to it (taking the copy inside the sealed submission). */
  @Column({ name: 'reply_public_key', type: 'bytea' })
  replyPublicKey!: Buffer;

  /** `YYYY-MM-DD` (UTC). */
  @Column({ name: 'created_on', type: 'date' })
  createdOn!: string;

  /**
   * Set by triage when the thread is linked to a case. The triage migration adds a foreign key
   * to `case_file` (ON DELETE CASCADE); the cases feature has no entity, so it is not declared
   * here (the schema test allows exactly that one difference).
   */
  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId!: string | null;
}
