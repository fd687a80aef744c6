import { Controller } from '@nestjs/common';
import {
  type CertifyUserRequest,
  type ChangeRoleRequest,
  routes,
  type UserListResponse,
  type UserSummary,
} from '@haven/contracts';
import { Caller } from '../access/caller';
import { Policy } from '../access/policy.decorator';
import { Route } from '../common/http/route.decorator';
import { ZodBody, ZodParam } from '../common/validation/zod.decorators';
import { UsersService } from './users.service';

/** Account administration: admins only. */
@Controller()
@Policy({ roles: ['admin'] })
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Route(routes.listUsers)
  async list(@Caller() caller: Caller): Promise<UserListResponse> {
    return { users: await this.users.list(caller) };
  }

  @Route(routes.certifyUser)
  certify(
    @Caller() caller: Caller,
    @ZodParam(routes.certifyUser.params) params: { userId: string },
    @ZodBody(routes.certifyUser.body) body: CertifyUserRequest,
  ): Promise<UserSummary> {
    return this.users.certify(caller, params.userId, body.certificate);
  }

  @Route(routes.disableUser)
  disable(
    @Caller() caller: Caller,
    @ZodParam(routes.disableUser.params) params: { userId: string },
  ): Promise<UserSummary> {
    return this.users.disable(caller, params.userId);
  }

  @Route(routes.changeRole)
  changeRole(
    @Caller() caller: Caller,
    @ZodParam(routes.changeRole.params) params: { userId: string },
    @ZodBody(routes.changeRole.body) body: ChangeRoleRequest,
  ): Promise<UserSummary> {
    return this.users.changeRole(caller, params.userId, body.role);
  }
}
