import { Module } from '@nestjs/common';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';

/** The partner directory (docs/referrals.md). */
@Module({
  controllers: [PartnersController],
  providers: [PartnersService],
})
export class PartnersModule {}
