import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { InstanceEntity } from './instance.entity';
import { SetupController } from './setup.controller';
import { SetupService } from './setup.service';

@Module({
  imports: [TypeOrmModule.forFeature([InstanceEntity]), AuthModule],
  controllers: [SetupController],
  providers: [SetupService],
})
export class SetupModule {}
