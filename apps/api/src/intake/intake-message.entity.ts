import {
  Check,
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import type { IntakeMessageDirection } from '@haven/contracts';
import { IntakeThreadEntity } from './intake-thread.entity';

/** A follow-up from the person or a staff reply, in a thread (see the intake migration). */
@Entity({ name: 'intake_message' })
@Unique('intake_message_position', ['lookupId', 'position'])
@Check('intake_message_position_positive', 'position >= 1')
@Check('intake_message_direction', `direction IN ('from_person', 'from_staff')`)
@Check(
  'intake_message_envelope',
  `get_byte(envelope, 0) = 1 AND ((direction = 'from_person' AND get_byte(envelope, 1) = 4 AND octet_length(envelope) - 84 IN (1024, 4096, 16384, 65536, 262144)) OR (direction = 'from_staff' AND get_byte(envelope, 1) = 6 AND octet_length(envelope) - 52 IN (1024, 4096, 16384, 65536, 262144)))`,
)
@Check(
  'intake_message_key_version',
  `(direction = 'from_person' AND key_version >= 1) OR (direction = 'from_staff' AND key_version IS NULL)`,
)
export class IntakeMessageEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'intake_message_pkey' })
  id!: string;

  @Column({ name: 'lookup_id', type: 'bytea' })
  lookupId!: Buffer;

  @ManyToOne(() => IntakeThreadEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({
    name: 'lookup_id',
    referencedColumnName: 'lookupId',
    foreignKeyConstraintName: 'intake_message_thread',
  })
  thread?: IntakeThreadEntity;

  /** 1, 2, 3… within the thread only. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  direction!: IntakeMessageDirection;

  /** From the person: an intake envelope (`01 04`); from staff: a reply envelope (`01 06`). */
  @Column({ type: 'bytea' })
  envelope!: Buffer;

  /** `YYYY-MM-DD` (UTC). */
  @Column({ name: 'created_on', type: 'date' })
  createdOn!: string;

  /** The person's follow-ups: the intake key version they are sealed to; null for replies. */
  @Column({ name: 'key_version', type: 'integer', nullable: true })
  keyVersion!: number | null;
}
