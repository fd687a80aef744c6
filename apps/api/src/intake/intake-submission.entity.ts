import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { IntakeUrgency } from '@haven/contracts';
import { IntakeThreadEntity } from './intake-thread.entity';

/** A sealed intake form waiting for triage (see the intake migration). */
@Entity({ name: 'intake_submission' })
@Check('intake_submission_urgency', `urgency IN ('routine', 'urgent', 'critical')`)
@Check(
  'intake_submission_envelope',
  'get_byte(envelope, 0) = 1 AND get_byte(envelope, 1) = 4 AND octet_length(envelope) - 84 IN (1024, 4096, 16384, 65536, 262144)',
)
@Check('intake_submission_key_version', 'key_version >= 1')
@Index('intake_submission_lookup_id', ['lookupId'])
// The triage queue's order (triage migration).
@Index('intake_submission_queue', ['urgency', 'receivedOn'])
// The retention job's scan for untriaged submissions past their period (retention migration).
@Index('intake_submission_received_on', ['receivedOn'])
export class IntakeSubmissionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'intake_submission_pkey' })
  id!: string;

  @Column({ name: 'lookup_id', type: 'bytea' })
  lookupId!: Buffer;

  @ManyToOne(() => IntakeThreadEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({
    name: 'lookup_id',
    referencedColumnName: 'lookupId',
    foreignKeyConstraintName: 'intake_submission_thread',
  })
  thread?: IntakeThreadEntity;

  /** `01 04 | crypto_box_seal(…)`, padded (docs/crypto.md). */
  @Column({ type: 'bytea' })
  envelope!: Buffer;

  @Column({ type: 'text' })
  urgency!: IntakeUrgency;

  /** `YYYY-MM-DD` (UTC): the day only. */
  @Column({ name: 'received_on', type: 'date' })
  receivedOn!: string;

  /** The intake key version the envelope is sealed to (rotation migration). */
  @Column({ name: 'key_version', type: 'integer' })
  keyVersion!: number;
}
