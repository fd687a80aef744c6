import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The single `instance` row (see the foundation migration). Constraints are repeated here only
 * so the entity describes the schema exactly (a test checks there is no drift).
 */
@Entity({ name: 'instance' })
@Check('instance_id_check', 'id')
export class InstanceEntity {
  @PrimaryColumn({ type: 'boolean', default: true })
  id!: boolean;

  /** `YYYY-MM-DD`, or null while first-run setup is pending. */
  @Column({ name: 'setup_completed_on', type: 'date', nullable: true })
  setupCompletedOn!: string | null;
}
