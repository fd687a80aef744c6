import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { UserStore } from './user-store';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [SessionsModule],
  controllers: [UsersController],
  providers: [UserStore, UsersService],
  exports: [UserStore],
})
export class UsersModule {}
