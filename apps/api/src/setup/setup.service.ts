import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { InstanceEntity } from './instance.entity';

@Injectable()
export class SetupService {
  constructor(
    @InjectRepository(InstanceEntity) private readonly instance: Repository<InstanceEntity>,
  ) {}

  /** Setup is required until the instance row records its completion date. */
  async setupRequired(): Promise<boolean> {
    const completed = await this.instance.exists({
      where: { id: true, setupCompletedOn: Not(IsNull()) },
    });
    return !completed;
  }
}
