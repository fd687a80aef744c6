import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A used idempotency key (hashed) and the hash of the request it answered. */
@Entity({ name: 'intake_idempotency' })
@Check('intake_idempotency_key_bytes', 'octet_length(key_hash) = 32')
@Check('intake_idempotency_request_bytes', 'octet_length(request_hash) = 32')
@Index('intake_idempotency_created_on', ['createdOn'])
export class IntakeIdempotencyEntity {
  @PrimaryColumn({
    name: 'key_hash',
    type: 'bytea',
    primaryKeyConstraintName: 'intake_idempotency_pkey',
  })
  keyHash!: Buffer;

  @Column({ name: 'request_hash', type: 'bytea' })
  requestHash!: Buffer;

  /** `YYYY-MM-DD` (UTC); rows older than a day are purged. */
  @Column({ name: 'created_on', type: 'date' })
  createdOn!: string;
}
